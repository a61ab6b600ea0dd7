import APITestSupport
import CampaignModel
import Synchronization
import Testing
import TestSupport

/// PostgreSQL restarted and stopped under a running server (a cluster of the test's own): writes get
/// 503 (never 500) while it is away, health says `degraded`, the server recovers by itself, and every
/// subscriber ends with every committed event exactly once, in order.
@Suite(.enabled(if: TestDatabase.isAvailable))
struct PostgresRestartTests {
    /// Statuses the background writer saw.
    final class Statuses: Sendable {
        private let seen = Mutex<[Int]>([])
        func record(_ status: Int) { seen.withLock { $0.append(status) } }
        var all: [Int] { seen.withLock { $0 } }
        var successes: Int { all.filter { $0 == 200 || $0 == 201 }.count }
        var unavailable: Int { all.filter { $0 == 503 }.count }
    }

    @Test func subscribersGetEveryCommittedEventOnceAcrossRestartsAndOutages() async throws {
        let cluster = try await offThePool { try ThrowawayPostgres.start() }
        defer { cluster.destroy() }
        // Heartbeats keep the readers' sockets busy while no event can be written.
        try await withServer(.postgres, databaseURL: cluster.url, configure: { $0.api.realtime.heartbeatIntervalMilliseconds = 1000 }) { app in
            let board = try await LiveBoard.make(app)
            let taskId = try await board.addTask("seed")
            var readers: [Task<[SSEMessage], any Error>] = []
            for _ in 0..<2 {
                let (stream, _) = try await board.subscribe()
                readers.append(Task {
                    defer { stream.close() }
                    return try await stream.next(throughTaskTitled: "final")
                })
            }

            let statuses = Statuses()
            let stop = StopFlag()
            let writer = Task {
                var write = 0
                while !stop.isRaised {
                    write += 1
                    let response = write % 5 == 0
                        ? try await board.client.request(
                            "POST", board.tasksPath, json: ["phaseId": .string(board.phases[write % 4]), "title": .string("write \(write)")])
                        : try await board.client.request("PATCH", board.taskPath(taskId), json: ["title": .string("write \(write)")])
                    statuses.record(response.status)
                    if response.status == 503 { try await Task.sleep(for: .milliseconds(50)) }
                }
            }

            // A restart in the middle of the writes.
            #expect(await eventually { statuses.successes >= 20 })
            try await offThePool { try cluster.restart() }
            let afterRestart = statuses.successes
            #expect(await eventually { statuses.successes >= afterRestart + 20 })

            // An outage long enough to look at: 503 for writes, `degraded` for health.
            try await offThePool { try cluster.stop() }
            #expect(await eventually {
                let health = try? await board.client.request("GET", "/api/health")
                return health?.status == 503 && health?.json["status"]?.stringValue == "degraded"
            })
            let during = try await board.client.request("PATCH", board.taskPath(taskId), json: ["title": "while away"])
            #expect(during.status == 503)
            #expect(during.errorCode != nil)
            #expect(await eventually { statuses.unavailable >= 1 })

            // It comes back by itself.
            try await offThePool { try cluster.startAgain() }
            #expect(await eventually {
                let health = try? await board.client.request("GET", "/api/health")
                return health?.status == 200 && health?.json["status"]?.stringValue == "ok"
            })
            let afterOutage = statuses.successes
            #expect(await eventually { statuses.successes >= afterOutage + 20 })
            stop.raise()
            try await writer.value

            var final = 0
            #expect(await eventually {
                final = (try? await board.client.request(
                    "POST", board.tasksPath, json: ["phaseId": .string(board.phases[0]), "title": "final", "id": "9d6f0c1e-5b7a-4c2e-8f3d-2a1b0c9d8e7f"]
                ))?.status ?? 0
                return final == 201 || final == 200
            })
            #expect(Set(statuses.all).isSubset(of: [200, 201, 503]), "statuses \(Set(statuses.all))")

            let logged = try await board.loggedEvents()
            for reader in readers {
                let messages = try await reader.value
                #expect(strictlyIncreasing(messages.eventIds))
                #expect(messages.eventIds == logged.ids.dropFirst(2).map { $0 })
            }
            // The events written after the outage came through a listener that re-established its connection.
            #expect(try await metricValue(app, "campaign_db_listener_reconnects_total") ?? 0 >= 1)
        }
    }
}
