/// The body of `POST /api/campaigns`, validated.
public struct CampaignDraft: Sendable, Equatable {
    public var id: String?
    public var name: String

    public init(id: String? = nil, name: String) {
        self.id = id
        self.name = name
    }

    public static func parse(_ body: JSONValue) throws(ValidationError) -> CampaignDraft {
        let reader = try FieldReader(body)
        try reader.rejectUnknown(allowed: ["id", "name"])
        guard let raw = try reader.string("name") else { throw ValidationError(field: "name", "is required") }
        let name = raw.trimmingWhitespace()
        guard !name.isEmpty else { throw ValidationError(field: "name", "must not be empty") }
        guard name.hasAtMostScalars(Campaign.maximumNameLength) else {
            throw ValidationError(field: "name", "must be at most \(Campaign.maximumNameLength) characters")
        }
        return CampaignDraft(id: try reader.identifier("id"), name: name)
    }
}
