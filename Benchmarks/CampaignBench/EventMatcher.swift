import Foundation

/// Matches writes that succeeded with the events subscribers received, by (task id, version):
/// every successful create, update or move leaves its task at a version no other write produces.
///
/// Keys are interned to small integers so each subscriber keeps one bit per write.
struct EventMatcher {
    private var idsByKey: [String: Int] = [:]
    /// Interned ids of the writes that succeeded.
    private(set) var writes: [Int] = []
    /// The campaign (index) of each write in `writes`.
    private var writeCampaigns: [Int] = []
    /// The campaign (index) each subscriber follows: it is due the events of that campaign's writes only.
    private let subscriberCampaigns: [Int]
    private var received: [[UInt64]]
    private(set) var duplicates = 0

    init(subscribers: Int) {
        self.init(subscriberCampaigns: Array(repeating: 0, count: subscribers))
    }

    init(subscriberCampaigns: [Int]) {
        self.subscriberCampaigns = subscriberCampaigns
        received = Array(repeating: [], count: subscriberCampaigns.count)
    }

    static func key(taskID: String, version: Int) -> String { "\(taskID)#\(version)" }

    /// The task a task event's data names (`{"task": {"id", "version", …}}`), nil when it names none.
    static func task(ofEvent data: [UInt8]) -> (id: String, version: Int)? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(data)) as? [String: Any],
              let task = object["task"] as? [String: Any], let id = task["id"] as? String,
              let version = (task["version"] as? NSNumber)?.intValue else { return nil }
        return (id, version)
    }

    /// A write succeeded: its event must reach every subscriber of its campaign.
    mutating func recordWrite(key: String, campaign: Int = 0) {
        writes.append(intern(key))
        writeCampaigns.append(campaign)
    }

    /// Write events due, summed over subscribers.
    var expectedDeliveries: Int {
        var writesPerCampaign: [Int: Int] = [:]
        for campaign in writeCampaigns { writesPerCampaign[campaign, default: 0] += 1 }
        return subscriberCampaigns.reduce(0) { $0 + (writesPerCampaign[$1] ?? 0) }
    }

    /// A subscriber received the event of `key`.
    mutating func recordEvent(key: String, subscriber: Int) {
        let id = intern(key)
        let word = id / 64, bit = UInt64(1) << UInt64(id % 64)
        if received[subscriber].count <= word {
            received[subscriber].append(contentsOf: repeatElement(0, count: word + 1 - received[subscriber].count))
        }
        if received[subscriber][word] & bit != 0 {
            duplicates += 1
        } else {
            received[subscriber][word] |= bit
        }
    }

    /// Write events summed over subscribers that never arrived.
    var missing: Int {
        var count = 0
        for (subscriber, bits) in received.enumerated() {
            for (id, campaign) in zip(writes, writeCampaigns) where campaign == subscriberCampaigns[subscriber] {
                let word = id / 64
                if word >= bits.count || bits[word] & (UInt64(1) << UInt64(id % 64)) == 0 { count += 1 }
            }
        }
        return count
    }

    /// Events received (summed over subscribers) that match no successful write of this run.
    var unmatched: Int {
        let written = Set(writes)
        var count = 0
        for bits in received {
            for (word, value) in bits.enumerated() where value != 0 {
                for bit in 0..<64 where value & (UInt64(1) << UInt64(bit)) != 0 && !written.contains(word * 64 + bit) {
                    count += 1
                }
            }
        }
        return count
    }

    private mutating func intern(_ key: String) -> Int {
        if let id = idsByKey[key] { return id }
        let id = idsByKey.count
        idsByKey[key] = id
        return id
    }
}
