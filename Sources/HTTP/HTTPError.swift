/// An error answered with the JSON error shape of docs/API.md: `{"error":{"code","message","field"?}}`.
public struct HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    public let status: HTTPStatus
    public let code: String
    public let message: String
    public let field: String?

    public init(_ status: HTTPStatus, code: String, message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    /// The JSON body of this error.
    public var jsonBody: [UInt8] {
        var out = Array("{\"error\":{\"code\":".utf8)
        JSONText.appendString(code, to: &out)
        out.append(contentsOf: ",\"message\":".utf8)
        JSONText.appendString(message, to: &out)
        if let field {
            out.append(contentsOf: ",\"field\":".utf8)
            JSONText.appendString(field, to: &out)
        }
        out.append(contentsOf: "}}".utf8)
        return out
    }

    /// A complete response for this error, with a new `X-Request-Id` (the transport answers some
    /// requests before any handler sees them; every response still carries an id).
    public func response(closeConnection: Bool = false) -> HTTPResponse {
        HTTPResponse(
            status: status, headers: ["Content-Type": "application/json", "X-Request-Id": Self.newRequestId()],
            body: .bytes(jsonBody), closeConnection: closeConnection)
    }

    /// 32 random hexadecimal digits.
    public static func newRequestId() -> String {
        var generator = SystemRandomNumberGenerator()
        let high: UInt64 = generator.next()
        let low: UInt64 = generator.next()
        let text = String(high, radix: 16) + String(low, radix: 16)
        return String(repeating: "0", count: max(0, 32 - text.count)) + text
    }
}

/// Minimal JSON string escaping for the transport's own bodies (the model has a full JSON writer).
enum JSONText {
    static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(0x22)
        for byte in text.utf8 {
            switch byte {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: out.append(byte)
            }
        }
        out.append(0x22)
    }
}
