/// A column of a campaign's board.
public struct Phase: Sendable, Equatable {
    public var id: String
    public var campaignId: String
    public var name: String
    public var position: Int

    public init(id: String, campaignId: String, name: String, position: Int) {
        self.id = id
        self.campaignId = campaignId
        self.name = name
        self.position = position
    }

    public var json: JSONValue {
        ["id": .string(id), "campaignId": .string(campaignId), "name": .string(name), "position": .int(Int64(position))]
    }
}
