import APITestSupport
import CampaignModel
import Testing
import TestSupport

/// Issue 13: many streams resuming from far back at once (a reconnect storm after a deploy, or many
/// `Last-Event-ID: 0`) queue behind the replay limit instead of taking the pool from the REST API.
@Suite(.enabled(if: TestDatabase.isAvailable))
struct ReplayStormTests {
    @Test func concurrentReplaysQueueAndRESTIsStillServed() async throws {
        let app = try await TestApplication.start(.postgres)
        defer { Task { await app.stop() } }
        let board = try await LiveBoard.make(app)
        // 1,300 events (beyond a room's recent events and a replay page), written in one statement.
        _ = try await RawSQL.execute(
            "INSERT INTO campaign_tasks (campaign_id, phase_id, title) SELECT $1::uuid, $2::uuid, 'bulk ' || n FROM generate_series(1, 650) AS n",
            [board.id, board.phases[1]])
        let logged = try await board.loggedEvents().ids
        #expect(logged.count == 1300)

        var streams: [SSEClient] = []
        defer { for stream in streams { stream.close() } }
        for _ in 0..<24 {
            streams.append(try await SSEClient(port: app.port, campaignId: board.id, token: app.token(), lastEventId: 0))
        }
        // While they replay, REST keeps its sessions: every snapshot is a 200, none a 503.
        var mostRunning = 0
        for _ in 0..<20 {
            mostRunning = max(mostRunning, app.application.registry.replaysRunning)
            let snapshot = try await board.client.request("GET", "/api/campaigns/\(board.id)/execution")
            #expect(snapshot.status == 200)
        }
        for stream in streams {
            _ = try await stream.next(until: "connected")
            #expect(try await stream.next(1300).eventIds == logged, "every event once, in order")
        }
        #expect(mostRunning <= 2)
        #expect(app.application.registry.replaysWaiting == 0)
    }
}
