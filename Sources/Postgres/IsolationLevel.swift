/// The isolation level a transaction starts with.
public enum IsolationLevel: Sendable, Hashable {
    case readCommitted, repeatableRead, serializable

    /// Constant SQL: the only text ever spliced into a statement besides quoted identifiers.
    var beginStatement: String {
        switch self {
        case .readCommitted: return "BEGIN ISOLATION LEVEL READ COMMITTED"
        case .repeatableRead: return "BEGIN ISOLATION LEVEL REPEATABLE READ"
        case .serializable: return "BEGIN ISOLATION LEVEL SERIALIZABLE"
        }
    }
}
