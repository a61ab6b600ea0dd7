/// One row of a text-format result; values are read by column name.
public struct PostgresRow: Sendable {
    private let layout: PostgresColumnLayout
    private let values: [String?]

    init(layout: PostgresColumnLayout, values: [String?]) {
        self.layout = layout
        self.values = values
    }

    /// The column names, in result order.
    public var columns: [String] { layout.names }

    /// The text value; nil for SQL NULL. Throws `.decoding` for an unknown column.
    public func string(_ column: String) throws -> String? {
        guard let index = layout.index(of: column), index < values.count else {
            throw PostgresError(kind: .decoding, message: "no column named \"\(column)\" in the result")
        }
        return values[index]
    }

    /// The text value; throws `.decoding` for SQL NULL or an unknown column.
    public func requiredString(_ column: String) throws -> String {
        guard let value = try string(column) else {
            throw PostgresError(kind: .decoding, message: "column \"\(column)\" is NULL")
        }
        return value
    }

    /// An integer column (`int2`, `int4`, `int8`, `bigserial`, …); nil for NULL.
    public func int(_ column: String) throws -> Int? {
        try decode(column, as: "an integer") { Int($0) }
    }

    /// A 64-bit integer column; nil for NULL.
    public func int64(_ column: String) throws -> Int64? {
        try decode(column, as: "a 64-bit integer") { Int64($0) }
    }

    /// A `boolean` column (PostgreSQL text `t`/`f`); nil for NULL.
    public func bool(_ column: String) throws -> Bool? {
        try decode(column, as: "a boolean") { text in
            switch text {
            case "t", "true": return true
            case "f", "false": return false
            default: return nil
            }
        }
    }

    /// A floating-point or numeric column; nil for NULL.
    public func double(_ column: String) throws -> Double? {
        try decode(column, as: "a number") { Double($0) }
    }

    /// The value is deliberately left out of the message: it is row data, which may be private.
    private func decode<T>(_ column: String, as typeName: String, _ parse: (String) -> T?) throws -> T? {
        guard let text = try string(column) else { return nil }
        guard let value = parse(text) else {
            throw PostgresError(kind: .decoding, message: "column \"\(column)\" is not \(typeName)")
        }
        return value
    }
}
