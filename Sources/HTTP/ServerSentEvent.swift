/// One Server-Sent Event, encoded per the HTML living standard's `text/event-stream` format.
public struct ServerSentEvent: Sendable, Equatable {
    public var id: String?
    public var event: String?
    public var data: String?
    public var retryMilliseconds: Int?

    public init(id: String? = nil, event: String? = nil, data: String? = nil, retryMilliseconds: Int? = nil) {
        self.id = id
        self.event = event
        self.data = data
        self.retryMilliseconds = retryMilliseconds
    }

    /// The wire form: `retry`, `id`, `event`, one `data:` line per line of `data`, then a blank line.
    /// Newlines inside `id`/`event` would break framing, so they are removed there.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((data?.utf8.count ?? 0) + 64)
        if let retryMilliseconds {
            out.append(contentsOf: "retry: \(retryMilliseconds)\n".utf8)
        }
        if let id {
            out.append(contentsOf: "id: ".utf8)
            Self.appendSingleLine(id, to: &out)
            out.append(0x0A)
        }
        if let event {
            out.append(contentsOf: "event: ".utf8)
            Self.appendSingleLine(event, to: &out)
            out.append(0x0A)
        }
        if let data {
            // CRLF, lone CR and LF all end a line in the format; each becomes its own data: line.
            var line: [UInt8] = []
            var previousWasCR = false
            for byte in data.utf8 {
                if byte == 0x0A && previousWasCR { previousWasCR = false; continue }
                previousWasCR = byte == 0x0D
                if byte == 0x0A || byte == 0x0D {
                    out.append(contentsOf: "data: ".utf8)
                    out.append(contentsOf: line)
                    out.append(0x0A)
                    line.removeAll(keepingCapacity: true)
                } else {
                    line.append(byte)
                }
            }
            out.append(contentsOf: "data: ".utf8)
            out.append(contentsOf: line)
            out.append(0x0A)
        }
        out.append(0x0A)
        return out
    }

    /// A comment line (`: text`), used for heartbeats; ignored by clients.
    public static func comment(_ text: String) -> [UInt8] {
        var out = Array(": ".utf8)
        appendSingleLine(text, to: &out)
        out.append(contentsOf: [0x0A, 0x0A])
        return out
    }

    private static func appendSingleLine(_ text: String, to out: inout [UInt8]) {
        for byte in text.utf8 where byte != 0x0A && byte != 0x0D { out.append(byte) }
    }
}
