import APITestSupport
import CampaignModel
import Testing
import TestSupport

/// Issue 12: MAX_STREAMS_PER_SUBJECT. One token subject holds at most that many event streams across
/// all campaigns; the next is refused with 429 `too_many_streams` before any stream opens, and a slot
/// comes back whenever a stream ends, whatever ended it.
@Suite struct StreamQuotaTests {
    static let cap = 3

    @Test(arguments: TestStoreKind.available)
    func aSubjectPastItsCapIsRefusedUntilOneOfItsStreamsCloses(kind: TestStoreKind) async throws {
        try await withServer(kind, configure: { $0.api.maximumStreamsPerSubject = Self.cap }) { app in
            let quota = app.application.handler.streamQuota
            let first = try await Board.make(app)
            let second = try await Board.make(app)
            let sam = app.token(subject: "sam")
            // Across campaigns: two streams on one, one on the other.
            var streams: [SSEClient] = []
            for campaign in [first.id, first.id, second.id] {
                let stream = try await SSEClient(port: app.port, campaignId: campaign, token: sam)
                #expect(stream.status == 200)
                #expect(try await stream.next().event == "connected")
                streams.append(stream)
            }
            #expect(quota.openStreams(of: "sam") == Self.cap)

            // A new token of the same subject changes nothing: the cap is per subject, not per token.
            let refused = try await first.client.request(
                "GET", "/api/events/\(second.id)", headers: ["Authorization": "Bearer \(app.token(subject: "sam", lifetimeSeconds: 60))"])
            expectError(refused, 429, code: "too_many_streams")
            #expect(refused.header("Retry-After") == "5")
            #expect(quota.openStreams(of: "sam") == Self.cap, "a refusal holds no slot")
            let scrape = try await MetricsScrape.take(app)
            #expect(scrape.value("campaign_sse_streams_refused_total") == 1)

            // Another subject is not affected.
            let other = try await SSEClient(port: app.port, campaignId: first.id, token: app.token(subject: "olga"))
            #expect(other.status == 200)
            defer { other.close() }

            // The client hangs up: its slot is free again, and exactly one.
            streams.removeFirst().close()
            #expect(await eventually { quota.openStreams(of: "sam") == Self.cap - 1 })
            let again = try await SSEClient(port: app.port, campaignId: second.id, token: sam)
            #expect(again.status == 200)
            streams.append(again)
            #expect(quota.openStreams(of: "sam") == Self.cap)
            expectError(try await first.client.request("GET", "/api/events/\(first.id)", headers: ["Authorization": "Bearer \(sam)"]),
                        429, code: "too_many_streams")
            for stream in streams { stream.close() }
            #expect(await eventually { quota.openStreams(of: "sam") == 0 && quota.subjectCount == 1 })
        }
    }

    /// Streams the server ends (shutdown, token expiry, an overflowing buffer), requests refused after
    /// the token check (404, 400), and HEAD requests that never open a stream all give the slot back.
    @Test(arguments: TestStoreKind.available)
    func everyWayAStreamEndsOrNeverStartsGivesItsSlotBack(kind: TestStoreKind) async throws {
        try await withServer(kind, configure: { $0.api.maximumStreamsPerSubject = 1 }) { app in
            let quota = app.application.handler.streamQuota
            let board = try await Board.make(app)
            let token = app.token(subject: "hedda")
            let headers = ["Authorization": "Bearer \(token)"]
            for _ in 0..<3 {
                #expect(try await board.client.request("HEAD", "/api/events/\(board.id)", headers: headers).status == 200)
                expectError(try await board.client.request("GET", "/api/events/\(Identifier.random())", headers: headers), 404)
                expectError(try await board.client.request("GET", "/api/events/\(board.id)", headers: headers.merging(["Last-Event-ID": "x"]) { $1 }), 400)
            }
            #expect(await eventually { quota.openStreams(of: "hedda") == 0 })

            // None of them held a slot: the one slot is free, and counted while held.
            let held = try await SSEClient(port: app.port, campaignId: board.id, token: token)
            #expect(held.status == 200)
            #expect(quota.openStreams(of: "hedda") == 1)
            expectError(try await board.client.request("GET", "/api/events/\(board.id)", headers: headers), 429, code: "too_many_streams")
            held.close()
            #expect(await eventually { quota.openStreams(of: "hedda") == 0 })

            // A token just past `exp` (within the leeway) is accepted, and the server ends its stream at once.
            let expired = app.token(subject: "hedda", lifetimeSeconds: -5)
            let ending = try await SSEClient(port: app.port, path: "/api/events/\(board.id)", headers: ["Authorization": "Bearer \(expired)"],
                                             timeoutSeconds: 60)
            #expect(ending.status == 200)
            #expect(try await ending.waitForEnd())
            #expect(await eventually { quota.openStreams(of: "hedda") == 0 })
            let next = try await SSEClient(port: app.port, campaignId: board.id, token: token)
            #expect(next.status == 200)
            next.close()
        }
    }

    @Test func withAuthenticationDisabledThereIsNoPerSubjectCap() async throws {
        try await withServer(.memory, authDisabled: true, configure: { $0.api.maximumStreamsPerSubject = 1 }) { app in
            let board = try await Board.make(app)
            var streams: [SSEClient] = []
            for _ in 0..<3 {
                let stream = try await SSEClient(port: app.port, campaignId: board.id, token: nil)
                #expect(stream.status == 200)
                streams.append(stream)
            }
            #expect(app.application.handler.streamQuota.subjectCount == 0)
            for stream in streams { stream.close() }
        }
    }

    @Test func zeroTurnsTheCapOff() async throws {
        try await withServer(.memory, configure: { $0.api.maximumStreamsPerSubject = 0 }) { app in
            let board = try await Board.make(app)
            var streams: [SSEClient] = []
            for _ in 0..<40 {
                let stream = try await SSEClient(port: app.port, campaignId: board.id, token: app.token(subject: "many"))
                #expect(stream.status == 200)
                streams.append(stream)
            }
            #expect(app.application.handler.streamQuota.openStreams(of: "many") == 0)
            for stream in streams { stream.close() }
        }
    }
}
