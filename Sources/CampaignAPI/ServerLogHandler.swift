import CampaignModel
import Glibc
import Logging

/// The server's log lines on standard error, one per record, as `text` or as one JSON object
/// (`time`, `level`, `label`, `source`, `message`, `metadata`). The message carries its component
/// tag (`[HTTP] listening`) and the module is `source`, written once: swift-log's stream handler
/// printed both side by side, which read `[HTTP] [HTTP] listening`.
public struct ServerLogHandler: LogHandler {
    public let label: String
    public let format: LogFormat
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    /// Takes one whole line (newline included); standard error unless a test captures it.
    private let write: @Sendable ([UInt8]) -> Void

    public init(label: String, format: LogFormat, level: Logger.Level, write: @escaping @Sendable ([UInt8]) -> Void = ServerLogHandler.standardError) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let time = Self.timestamp()
        switch format {
        case .json:
            let object: JSONValue = .object(JSONObject([
                (key: "time", value: .string(time)), (key: "level", value: .string(event.level.rawValue)),
                (key: "label", value: .string(label)), (key: "source", value: .string(event.source)),
                (key: "message", value: .string(event.message.description)),
                (key: "metadata", value: .object(JSONObject(merged.sorted { $0.key < $1.key }.map { (key: $0.key, value: Self.json($0.value)) }))),
            ]))
            write(object.encoded() + [0x0A])
        case .text:
            var line = "\(time) \(event.level) \(label): \(event.message)"
            for (key, value) in merged.sorted(by: { $0.key < $1.key }) { line += " \(key)=\(value)" }
            // One record, one line: a newline inside a message or a value must not forge another record.
            write(Array(line.utf8).map { $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 } + [0x0A])
        }
    }

    static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let convertible): .string(convertible.description)
        case .array(let values): .array(values.map(json))
        case .dictionary(let members): .object(JSONObject(members.sorted { $0.key < $1.key }.map { (key: $0.key, value: json($0.value)) }))
        }
    }

    /// `2026-12-04T12:46:06.123Z` (UTC, milliseconds).
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let milliseconds = Int(now.tv_nsec / 1_000_000)
        let fraction = milliseconds < 10 ? "00\(milliseconds)" : milliseconds < 100 ? "0\(milliseconds)" : "\(milliseconds)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(fraction)Z"
    }

    /// One `write(2)` per line, so lines from several threads never interleave.
    public static let standardError: @Sendable ([UInt8]) -> Void = { line in
        line.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(2, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { if written < 0 && errno == EINTR { continue }; return }
                offset += written
            }
        }
    }
}
