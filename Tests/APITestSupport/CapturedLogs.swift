import Logging
import Synchronization

/// Every log line a test server wrote, for assertions (and the scan for leaked secrets).
public final class CapturedLogs: Sendable {
    private let lines = Mutex<[String]>([])

    public init() {}

    public var all: [String] { lines.withLock { $0 } }

    func append(_ line: String) { lines.withLock { $0.append(line) } }

    /// Whether some line contains `text`.
    public func contains(_ text: String) -> Bool { all.contains { $0.contains(text) } }
}

/// Formats a record like the standard handler does (message and metadata) into `CapturedLogs`.
struct CapturedLogHandler: LogHandler {
    let logs: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = self.metadata.merging(event.metadata ?? [:]) { $1 }
        let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        logs.append("\(event.level) \(fields) [\(event.source)] \(event.message)")
    }
}
