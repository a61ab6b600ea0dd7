/// A parsed JSON value from a token's header or payload.
enum JSONValue: Equatable {
    case null
    case bool(Bool)
    /// An integer literal that fits in 64 bits, kept exact (NumericDate claims).
    case integer(Int64)
    /// Any other number.
    case number(Double)
    case string(String)
    case array([JSONValue])
    /// Members in order; the reader refuses duplicate names, so lookup by name is unambiguous.
    case object([(String, JSONValue)])

    subscript(member: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == member }?.1
    }

    static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.bool(let x), .bool(let y)): x == y
        case (.integer(let x), .integer(let y)): x == y
        case (.number(let x), .number(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.array(let x), .array(let y)): x == y
        case (.object(let x), .object(let y)):
            x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }
}
