import TestSupport
import APITestSupport
import CampaignModel
import Testing

/// At the connection limit a stream still answers 200 (`retry:`, `overloaded`, then it ends) so a
/// browser comes back later; REST gets 503 with `Retry-After`.
@Suite struct ConnectionLimitTests {
    @Test(arguments: TestStoreKind.available)
    func pastTheLimitAStreamIsToldToComeBackAndRESTIs503(kind: TestStoreKind) async throws {
        try await withServer(kind, configure: { $0.http.maximumConnections = 3; $0.http.overloadAllowance = 10 }) { app in
            let board = try await LiveBoard.make(app)
            // The set-up's requests are closed by the client; wait until the server has counted them out.
            let statistics = app.application.server.statistics
            #expect(await eventually { statistics.openConnections == 0 })
            var open: [SSEClient] = []
            for _ in 0..<3 { open.append(try await board.subscribe().0) }
            defer { for stream in open { stream.close() } }

            let refused = try await SSEClient(port: app.port, campaignId: board.id, token: app.token())
            #expect(refused.status == 200)
            #expect(refused.headers["content-type"]?.hasPrefix("text/event-stream") == true)
            let first = try await refused.connection.readUntil("\n\n")
            #expect(first.hasPrefix("retry: "))
            let overloaded = try await refused.next()
            #expect(overloaded.event == "overloaded")
            #expect(try await refused.waitForEnd())

            let rest = try await board.client.request("GET", "/api/campaigns/\(board.id)")
            #expect(rest.status == 503)
            #expect(Int(rest.header("Retry-After") ?? "").map { $0 > 0 } == true)
            #expect(rest.errorCode != nil)

            // Once one stream leaves there is room again (the server notices the close on its own time),
            // and the streams that stayed were not disturbed: they get the next write.
            open.removeLast().close()
            var created = 0
            #expect(await eventually {
                let response = try? await board.client.request(
                    "POST", board.tasksPath, json: ["phaseId": .string(board.phases[0]), "title": "after the limit"])
                created = response?.status ?? 0
                return created != 503
            })
            #expect(created == 201)
            for stream in open {
                let messages = try await stream.next(2)
                #expect(messages.map(\.event) == ["task-created", "history-update"])
                #expect(messages.eventIds == (try await board.loggedEvents()).ids)
            }
        }
    }
}
