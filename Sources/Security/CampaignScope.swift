/// The campaigns a token may touch: every one (`["*"]`) or a set of lower-case UUIDs.
public enum CampaignScope: Sendable, Equatable {
    case all
    case only(Set<String>)

    /// Whether `campaignID` (any letter case) is inside this scope.
    public func allows(_ campaignID: String) -> Bool {
        switch self {
        case .all:
            return true
        case .only(let ids):
            if ids.contains(campaignID) { return true }
            // Ids are stored lower-case; only pay for lower-casing when the caller's id is not.
            guard campaignID.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return false }
            return ids.contains(campaignID.lowercased())
        }
    }
}
