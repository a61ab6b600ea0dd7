/// A setting with a value the server cannot run with; the description names the variable, what was given
/// (never a secret) and what is expected, e.g. `PORT must be an integer between 0 and 65535 (got "http")`.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The environment variable at fault.
    public let variable: String
    /// What a valid value looks like.
    public let expected: String
    /// What was given, quoted or summarised and safe to log; nil when nothing useful can be shown.
    public let given: String?

    public init(variable: String, expected: String, given: String?) {
        self.variable = variable
        self.expected = expected
        self.given = given
    }

    /// An error showing `value` quoted, cut short and with control characters escaped.
    static func invalid(_ variable: String, expected: String, value: String) -> ConfigurationError {
        ConfigurationError(variable: variable, expected: expected, given: quote(value))
    }

    public var description: String {
        guard let given else { return "\(variable) must be \(expected)" }
        return "\(variable) must be \(expected) (got \(given))"
    }

    static func quote(_ value: String) -> String {
        let limit = 80
        var out = "\""
        for (count, scalar) in value.unicodeScalars.enumerated() {
            if count == limit {
                out += "…"
                break
            }
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
