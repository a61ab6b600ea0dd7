import Foundation
import Histogram

/// The well-behaved user beside an attack: one SSE subscriber on the campaign and a task create every
/// `interval` through REST. It times each create's answer and the arrival of its event, and checks that
/// the event of every successful create arrives exactly once, in order. A stream the server ends is
/// reopened with `Last-Event-ID`, as a browser's EventSource does, and counted as an error.
final class AbuseProbe {
    struct Settings: Sendable {
        var address: ServerAddress
        var token: String
        var campaignID: String
        var phaseID: String
        /// Seconds between two writes.
        var interval = 0.1
        /// Connections the writes may use at once: a write due while all are busy waits (and its lag shows).
        var maximumWriters = 64
    }

    let settings: Settings
    unowned let loop: ClientLoop
    /// A problem that makes the figures meaningless (the token refused): ends the run.
    var fatal: BenchError?

    // The stream.
    var subscriber: SSEClient?
    var ledger = DeliveryLedger()
    var lastEventID: Int64?
    var isLive = false
    var everLive = false
    var stopped = false

    // The writes.
    var writers: [RESTClient] = []
    var waiting: [(index: Int, due: UInt64)] = []
    var writesDue = 0
    var writesAnswered = 0
    var writesInFlight = 0
    var writingEnded = false
    /// Task id → when its create's first byte was written.
    var sentAt: [String: UInt64] = [:]
    var matcher = EventMatcher(subscribers: 1)
    var writeLatency = AbuseProbe.histogram()
    /// Every answered write: when it was sent (monotonic nanoseconds) and its latency in microseconds,
    /// to tell when in the run the slowest ones came.
    var writeSamples: [(sentAt: UInt64, microseconds: UInt64)] = []
    var deliveryLatency = AbuseProbe.histogram()
    var maximumLag: UInt64 = 0

    // What went wrong, by sentence.
    var errors: [String: Int] = [:]
    var outOfOrder = 0
    var duplicateIDs = 0
    var foreignEvents = 0

    init(settings: Settings, loop: ClientLoop) {
        self.settings = settings
        self.loop = loop
    }

    var createPath: String { "/api/campaigns/\(settings.campaignID)/tasks" }

    static func histogram() -> Histogram<UInt64> {
        Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)
    }

    func count(_ error: String) {
        errors[error, default: 0] += 1
    }

    /// Writes every `interval` from `start` until `end`, served by the caller's loop.
    func startWriting(from start: UInt64, until end: UInt64) {
        let interval = Clock.nanoseconds(seconds: settings.interval)
        func scheduleNext() {
            let due = start + UInt64(writesDue) * interval
            guard due < end, !stopped else {
                writingEnded = true
                return
            }
            loop.schedule(at: due) { [weak self] in
                guard let self else { return }
                waiting.append((writesDue, due))
                writesDue += 1
                dispatch()
                scheduleNext()
            }
        }
        scheduleNext()
    }

    /// Every write was answered (or failed) and every successful one's event has arrived.
    var isSettled: Bool {
        writingEnded && waiting.isEmpty && writesInFlight == 0 && matcher.missing == 0
    }

    /// Stops writing, closes every connection.
    func stop() {
        stopped = true
        writingEnded = true
        waiting.removeAll()
        subscriber?.close()
        subscriber = nil
        for writer in writers { writer.close() }
    }

    /// Opens `count` writer connections ahead of the first write, so no handshake falls inside a measurement.
    func openWriters(_ count: Int) {
        for _ in 0..<count {
            guard let writer = newWriter() else { return }
            do {
                try writer.open()
            } catch let failure as ConnectionFailure {
                self.count("opening a probe writer: \(failure.describe(settings.address))")
            } catch {
                self.count("opening a probe writer: \(error)")
            }
        }
    }

    private func dispatch() {
        while !waiting.isEmpty && !stopped {
            guard let writer = writers.first(where: \.isIdle) ?? newWriter() else { return }
            let (index, due) = waiting.removeFirst()
            write(index: index, due: due, on: writer)
        }
    }

    private func newWriter() -> RESTClient? {
        guard writers.count < settings.maximumWriters else { return nil }
        let writer = RESTClient(loop: loop, address: settings.address)
        writers.append(writer)
        return writer
    }

    private func write(index: Int, due: UInt64, on writer: RESTClient) {
        let id = UUID().uuidString.lowercased()
        let body = #"{"id":"\#(id)","phaseId":"\#(settings.phaseID)","title":"probe-\#(index + 1)"}"#
        let request = HTTPRequest.encode(method: "POST", path: createPath, address: settings.address,
                                         token: settings.token, body: Array(body.utf8))
        writesInFlight += 1
        writer.send(request, onWrite: { [unowned self] in
            let now = Clock.now()
            sentAt[id] = now
            maximumLag = max(maximumLag, now > due ? now - due : 0)
        }, completion: { [unowned self] result in
            writesInFlight -= 1
            answered(id: id, result: result)
            dispatch()
        })
    }

    private func answered(id: String, result: Result<RESTClient.Response, ConnectionFailure>) {
        let now = Clock.now()
        switch result {
        case .failure(let failure):
            count("POST \(createPath): \(failure.describe(settings.address))")
        case .success(let response):
            writesAnswered += 1
            if let sent = sentAt[id] {
                let microseconds = now > sent ? (now - sent) / 1000 : 0
                writeLatency.record(microseconds)
                writeSamples.append((sent, microseconds))
            }
            let status = response.head.status
            guard status == 201 || status == 200 else {
                if status == 401 || status == 403 {
                    fatal = fatal ?? BenchError("the token may not create tasks (\(status)): \(Snapshot.message(response)); the probe needs role editor or admin")
                }
                return count("POST \(createPath) answered \(status)")
            }
            guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
                  let version = (object["version"] as? NSNumber)?.intValue else {
                return count("POST \(createPath) answered \(status) without a task version")
            }
            matcher.recordWrite(key: EventMatcher.key(taskID: id, version: version))
        }
    }
}
