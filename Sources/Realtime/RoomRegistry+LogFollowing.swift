import CampaignStore

/// The event feed's subscriber: a campaign's log has news, or any log may have (the feed
/// reconnected). Each room then reads its log after its own cursor (`CampaignRoom.followLog`).
extension RoomRegistry: EventFeedSubscriber {
    public func logChanged(campaignId: String) {
        guard let room = existingRoom(campaignId) else { return }
        Task { await room.followLog() }
    }

    public func logMayHaveChangedEverywhere() {
        for room in allRooms() {
            Task { await room.followLog() }
        }
    }
}
