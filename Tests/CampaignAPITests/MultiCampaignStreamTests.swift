import APITestSupport
import Foundation
import CampaignModel
import Realtime
import Security
import Testing
import TestSupport

/// Issue 16: `GET /api/events?campaign=A&campaign=B…`, several campaigns on one connection. Each
/// campaign is authorized as its own stream would be, there is a maximum per stream, the stream
/// counts once against the subject's quota, and every event's `id:` resumes all campaigns exactly once.
@Suite struct MultiCampaignStreamTests {
    static func path(_ campaigns: [String]) -> String {
        "/api/events?" + campaigns.map { "campaign=\($0)" }.joined(separator: "&")
    }

    static func open(_ app: TestApplication, _ campaigns: [String], token: String? = nil, cursor: String? = nil) async throws -> SSEClient {
        var headers = ["Authorization": "Bearer \(token ?? app.token())"]
        if let cursor { headers["Last-Event-ID"] = cursor }
        return try await SSEClient(port: app.port, path: path(campaigns), headers: headers)
    }

    @Test(arguments: TestStoreKind.available)
    func eachCampaignIsAuthorizedOnItsOwn(kind: TestStoreKind) async throws {
        try await withServer(kind) { app in
            let first = try await Board.make(app)
            let second = try await Board.make(app)
            let onlyFirst = app.token(subject: "ada", role: .viewer, campaigns: .only([first.id]))
            let client = app.client(token: onlyFirst)
            expectError(try await client.request("GET", Self.path([first.id, second.id])), 403, code: "forbidden")
            expectError(try await client.request("GET", Self.path([second.id])), 403, code: "forbidden")
            let allowed = try await Self.open(app, [first.id], token: onlyFirst)
            #expect(allowed.status == 200)
            #expect(try await allowed.next().json["campaignId"]?.stringValue == first.id)
            allowed.close()

            let admin = app.client()
            expectError(try await admin.request("GET", "/api/events"), 400, field: "campaign")
            expectError(try await admin.request("GET", "/api/events?campaign=nope"), 400, field: "campaign")
            expectError(try await admin.request("GET", Self.path([first.id, Identifier.random()])), 404)
            expectError(try await APIClient(port: app.port, token: nil).request("GET", Self.path([first.id])), 401)
        }
    }

    @Test func moreCampaignsThanTheMaximumAreRefused() async throws {
        try await withServer(.memory, configure: { $0.api.maximumCampaignsPerStream = 2 }) { app in
            var ids: [String] = []
            for _ in 0..<3 { ids.append(try await Board.make(app).id) }
            expectError(try await app.client().request("GET", Self.path(ids)), 400, code: "too_many_campaigns", field: "campaign")
            // Counted as asked, before any campaign is looked at.
            expectError(try await app.client().request("GET", Self.path([ids[0], ids[0], ids[0]])), 400, code: "too_many_campaigns")
            let two = try await Self.open(app, Array(ids.prefix(2)))
            #expect(two.status == 200)
            two.close()
        }
    }

    @Test func oneStreamCountsOnceAgainstTheSubjectsQuota() async throws {
        try await withServer(.memory, configure: { $0.api.maximumStreamsPerSubject = 1 }) { app in
            var ids: [String] = []
            for _ in 0..<4 { ids.append(try await Board.make(app).id) }
            let token = app.token(subject: "tile-page")
            let stream = try await Self.open(app, ids, token: token)
            #expect(stream.status == 200)
            #expect(try await stream.next(4).map(\.event) == Array(repeating: "connected", count: 4))
            #expect(app.application.handler.streamQuota.openStreams(of: "tile-page") == 1)
            expectError(try await app.client(token: token).request("GET", Self.path([ids[0]])), 429, code: "too_many_streams")
            stream.close()
            #expect(await eventually { app.application.handler.streamQuota.openStreams(of: "tile-page") == 0 })
        }
    }

    /// Changes to three campaigns, read in part, the connection dropped, more changes, then a resume
    /// with the last `id:` seen: every event of every campaign arrives once, none twice.
    @Test(arguments: TestStoreKind.available)
    func theCursorResumesEveryCampaignExactlyOnce(kind: TestStoreKind) async throws {
        try await withServer(kind) { app in
            var boards: [Board] = []
            for _ in 0..<3 { boards.append(try await Board.make(app)) }
            let ids = boards.map(\.id)
            let first = try await Self.open(app, ids)
            let connected = try await first.next(3)
            #expect(Set(connected.compactMap { $0.json["campaignId"]?.stringValue }) == Set(ids))
            #expect(connected.allSatisfy { $0.id?.hasPrefix("m1.") == true })
            for round in 0..<3 {
                for board in boards { try await board.addTask("before \(round)") }
            }
            // 3 rounds × 3 campaigns × (task-created + history-update) = 18; read 7, so every campaign
            // is cut at a different place.
            var seen = try await first.next(7)
            let cursor = try #require(seen.last?.id)
            first.close()
            for board in boards.prefix(2) { try await board.addTask("while away") }

            let second = try await Self.open(app, ids, cursor: cursor)
            #expect(second.status == 200)
            // 18 - 7 from before, 2 × 2 while away, 3 connected.
            let resumed = try await second.next(18 - 7 + 4 + 3)
            #expect(resumed.filter { $0.event == "connected" }.count == 3)
            seen += resumed.filter { $0.event != "connected" }
            for board in boards { try await board.addTask("live") }
            seen += try await second.next(6)
            second.close()

            for board in boards {
                let received = seen.filter { $0.json["campaignId"]?.stringValue == board.id }.compactMap { $0.json["eventId"]?.intValue }
                #expect(received.count == Set(received).count, "no event twice")
                #expect(received == received.sorted(), "in order within the campaign")
                let expected = board.id == boards[2].id ? 8 : 10
                #expect(received.count == expected)
                #expect(received.last == (try await board.lastEventId()))
            }
            #expect(seen.allSatisfy { $0.id?.hasPrefix("m1.") == true && $0.json["campaignId"]?.stringValue != nil })
        }
    }

    @Test(arguments: TestStoreKind.available)
    func theQueryParameterResumesLikeTheHeader(kind: TestStoreKind) async throws {
        try await withServer(kind) { app in
            let one = try await Board.make(app)
            let two = try await Board.make(app)
            let stream = try await Self.open(app, [one.id, two.id])
            let cursor = try #require(try await stream.next(2).last?.id)
            stream.close()
            try await two.addTask("missed")
            let resumed = try await SSEClient(
                port: app.port, path: Self.path([two.id, one.id]) + "&lastEventId=\(cursor)",
                headers: ["Authorization": "Bearer \(app.token())"])
            #expect(resumed.status == 200, "the cursor does not depend on the order the campaigns are named in")
            let messages = try await resumed.next(4).filter { $0.event != "connected" }
            #expect(messages.map(\.event) == ["task-created", "history-update"])
            #expect(messages.allSatisfy { $0.json["campaignId"]?.stringValue == two.id })
            resumed.close()
        }
    }

    @Test func aGarbledOrForeignCursorIsA400AndHoldsNoSlot() async throws {
        try await withServer(.memory, configure: { $0.api.maximumStreamsPerSubject = 1 }) { app in
            let one = try await Board.make(app)
            let two = try await Board.make(app)
            let ids = [one.id, two.id]
            let valid = StreamCursor(campaignIds: ids).encoded
            let foreign = StreamCursor(campaignIds: [one.id, Identifier.random()]).encoded
            let client = app.client(token: app.token(subject: "forger"))
            for cursor in [
                "x", "17", "m1.", "m1.zzzzzzzz._._", valid + ".5", valid.replacingOccurrences(of: "._._", with: ".-1._"),
                valid.replacingOccurrences(of: "._._", with: ".99999999999999999999._"), valid.replacingOccurrences(of: "._._", with: ".01._"),
                valid + String(repeating: "9", count: 10_000), foreign,
            ] {
                let response = try await client.request("GET", Self.path(ids), headers: ["Last-Event-ID": cursor])
                expectError(response, 400, code: "invalid_cursor", field: "Last-Event-ID")
            }
            #expect(app.application.handler.streamQuota.openStreams(of: "forger") == 0)
            let fresh = try await Self.open(app, ids, token: app.token(subject: "forger"), cursor: valid)
            #expect(fresh.status == 200)
            fresh.close()
        }
    }

    /// A well-formed cursor naming a position the log never issued: that campaign gets `resync` (naming
    /// it), the other resumes as asked.
    @Test(arguments: TestStoreKind.available)
    func aForgedPositionGetsAResyncNamingItsCampaign(kind: TestStoreKind) async throws {
        try await withServer(kind) { app in
            let one = try await Board.make(app)
            let two = try await Board.make(app)
            try await one.addTask("a")
            var cursor = StreamCursor(campaignIds: [one.id, two.id])
            let forged = try #require(cursor.index(of: one.id))
            cursor.advance(campaignAt: forged, to: 1_000_000_000)
            cursor.advance(campaignAt: 1 - forged, to: try await two.lastEventId())
            let stream = try await Self.open(app, [one.id, two.id], cursor: cursor.encoded)
            let messages = try await stream.next(3)
            let resync = try #require(messages.first { $0.event == "resync" })
            #expect(resync.json["campaignId"]?.stringValue == one.id)
            #expect(resync.json["reason"]?.stringValue == "unknown-position")
            try await two.addTask("b")
            #expect(try await stream.next().json["campaignId"]?.stringValue == two.id)
            stream.close()
        }
    }
}
