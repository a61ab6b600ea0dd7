/// What the PostgreSQL listener tells rooms: a notification names a campaign whose log has news, and a
/// reconnect means any log may have news. Rooms then read the log themselves: a notification is only a
/// hint, so a forged one (any role may NOTIFY) costs one read and delivers nothing the log does not hold.
public protocol EventLogFollower: Sendable {
    func logChanged(campaignId: String)
    func logMayHaveChangedEverywhere()
}

extension RoomRegistry: EventLogFollower {
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
