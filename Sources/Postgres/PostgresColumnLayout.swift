/// Column names of one result and a name-to-index map, shared by all its rows.
final class PostgresColumnLayout: Sendable {
    let names: [String]
    private let indexes: [String: Int]

    init(names: [String]) {
        self.names = names
        var indexes: [String: Int] = [:]
        // With duplicate names the first column wins, as in most drivers.
        for (index, name) in names.enumerated() where indexes[name] == nil {
            indexes[name] = index
        }
        self.indexes = indexes
    }

    func index(of column: String) -> Int? { indexes[column] }
}
