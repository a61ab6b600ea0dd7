import CampaignModel
import Glibc
import HTTP

/// The wire bytes of a batch of events, encoded once for every client of a room, with the offset
/// where each event starts so a client that already has the first few can be sent the rest.
struct EventFrames {
    let bytes: [UInt8]
    let ids: [Int64]
    let offsets: [Int]

    init(_ events: [CampaignEvent]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(events.reduce(0) { $0 + $1.data.utf8.count + 48 })
        var ids: [Int64] = []
        var offsets: [Int] = []
        for event in events {
            ids.append(event.id)
            offsets.append(bytes.count)
            Self.append(event, to: &bytes)
        }
        self.bytes = bytes
        self.ids = ids
        self.offsets = offsets
    }

    var firstId: Int64 { ids.first ?? 0 }
    var lastId: Int64 { ids.last ?? 0 }

    /// The bytes of the events with id > `floor`.
    func suffix(after floor: Int64) -> [UInt8] {
        guard let index = ids.firstIndex(where: { $0 > floor }) else { return [] }
        return Array(bytes[offsets[index]...])
    }

    static func append(_ event: CampaignEvent, to bytes: inout [UInt8]) {
        if hasLineBreak(event.data) {
            // Stored JSON never holds a raw line break, but a frame must not break on one.
            bytes.append(contentsOf: ServerSentEvent(id: String(event.id), event: event.type.rawValue, data: event.data).encoded())
            return
        }
        bytes.append(contentsOf: "id: ".utf8)
        bytes.append(contentsOf: String(event.id).utf8)
        bytes.append(contentsOf: "\nevent: ".utf8)
        bytes.append(contentsOf: event.type.rawValue.utf8)
        bytes.append(contentsOf: "\ndata: ".utf8)
        bytes.append(contentsOf: event.data.utf8)
        bytes.append(contentsOf: "\n\n".utf8)
    }

    /// Whether `text` holds a CR or LF (either would end a `data:` line early): two `memchr` over its
    /// contiguous UTF-8. The generic `utf8.contains` walked every byte through String's iterator, and
    /// in a storm of resumes, each replaying a few hundred events, that walk was half the server's CPU.
    static func hasLineBreak(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return false }
            return memchr(base, 0x0A, buffer.count) != nil || memchr(base, 0x0D, buffer.count) != nil
        }
    }
}
