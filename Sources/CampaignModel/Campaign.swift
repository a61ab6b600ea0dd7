/// A campaign: the unit of access control and of the live stream.
public struct Campaign: Sendable, Equatable {
    public var id: String
    public var name: String
    public var createdAt: Timestamp

    public init(id: String, name: String, createdAt: Timestamp) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
    }

    /// The phases every new campaign starts with, at positions 0..3.
    public static let defaultPhaseNames = ["Planning", "Creative", "Launch", "Analysis"]

    /// Longest campaign name accepted, in Unicode code points after trimming.
    public static let maximumNameLength = 200

    public var json: JSONValue {
        ["id": .string(id), "name": .string(name), "createdAt": .string(createdAt.rfc3339)]
    }
}
