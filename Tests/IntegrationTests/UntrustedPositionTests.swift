import APITestSupport
import CampaignModel
import Testing
import TestSupport

/// Issue 13's first two faults against the real server: a notification anyone can forge, and a
/// Last-Event-ID the log never issued. Subscribers must get exactly the log, or be told to resync.
@Suite struct UntrustedPositionTests {
    @Test(.enabled(if: TestDatabase.isAvailable))
    func aForgedNotificationDeliversNothingAndSilencesNothing() async throws {
        let board = try await LiveBoard.make(try await SharedServer.get(.postgres))
        let (stream, _) = try await board.subscribe()
        defer { stream.close() }
        let forged = #"{"campaignId":"\#(board.id)","eventId":9000000000000000,"events":[{"id":9000000000000000,"type":"task-created","data":"{\"task\":{\"id\":\"fake\",\"title\":\"FORGED\"}}"}]}"#
        _ = try await RawSQL.execute("SELECT pg_notify('campaign_events', $1)", [forged])
        // The real create that follows arrives, and is the first thing the stream carries.
        let taskId = try await board.addTask("Real")
        let messages = try await stream.next(2)
        #expect(messages.map(\.event) == ["task-created", "history-update"])
        #expect(messages[0].json["task"]?["id"]?.stringValue == taskId)
        #expect(messages.eventIds == (try await board.loggedEvents()).ids.suffix(2))
    }

    @Test(arguments: TestStoreKind.available)
    func aLastEventIdFromTheFutureIsToldItsPositionIsUnknownAndThenGoesLive(kind: TestStoreKind) async throws {
        let board = try await LiveBoard.make(try await SharedServer.get(kind))
        _ = try await board.addTask("Before")
        let (stream, connected) = try await board.subscribe(lastEventId: 999_999_999_999)
        defer { stream.close() }
        let latest = try await board.loggedEvents().ids.last
        #expect(connected.json["lastEventId"]?.intValue == latest)
        let resync = try await stream.next()
        #expect(resync.event == "resync")
        #expect(resync.json["reason"]?.stringValue == "unknown-position")
        let taskId = try await board.addTask("After")
        let messages = try await stream.next(2)
        #expect(messages.map(\.event) == ["task-created", "history-update"])
        #expect(messages[0].json["task"]?["id"]?.stringValue == taskId)
    }
}
