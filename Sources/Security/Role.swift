/// What a token may do: `viewer` reads and subscribes, `editor` also writes tasks, `admin` also creates campaigns.
public enum Role: String, Sendable, Comparable, CaseIterable {
    case viewer, editor, admin

    /// Each role includes the rights of the roles below it, so "at least editor" is a comparison.
    public static func < (a: Role, b: Role) -> Bool { a.rank < b.rank }

    private var rank: Int {
        switch self {
        case .viewer: 0
        case .editor: 1
        case .admin: 2
        }
    }
}
