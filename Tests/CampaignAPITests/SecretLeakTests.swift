import APITestSupport
import CampaignModel
import Security
import Testing
import TestSupport

/// Issue 5 / docs/API.md: tokens and secrets never appear in a log line or a response. A varied session
/// (tokens in headers and in `?access_token=`, good, expired, forged and out-of-scope ones, the
/// metrics token) and then every captured log line and every response is scanned.
@Suite struct SecretLeakTests {
    @Test(arguments: TestStoreKind.available)
    func noTokenOrSecretReachesALogLineOrAResponse(kind: TestStoreKind) async throws {
        let metricsToken = "metrics-secret-" + Identifier.random()
        var responses: [(String, String)] = []
        var secrets: [String] = [metricsToken]
        let marker = "leak-scan-" + Identifier.random()
        let logs = try await withServer(kind, configure: { $0.api.metricsToken = metricsToken }) { app in
            secrets.append(app.secret)
            let board = try await Board.make(app)
            let admin = app.token(subject: "admin-leak")
            let editor = app.token(subject: "editor-leak", role: .editor, campaigns: .only([board.id]))
            let viewer = app.token(subject: "viewer-leak", role: .viewer, campaigns: .only([board.id]))
            let outsider = app.token(subject: "outsider-leak", role: .editor, campaigns: .only([Identifier.random()]))
            let expired = app.token(subject: "expired-leak", lifetimeSeconds: -3600)
            let forged = TokenForge.token(payload: TokenForge.payload(sub: "forged-leak"), signature: .hs256("another-secret"))
            let badRole = TokenForge.token(payload: TokenForge.payload(sub: "role-leak", role: "root"), signature: .hs256(app.secret))
            let hs512 = TokenForge.token(header: #"{"alg":"HS512"}"#, payload: TokenForge.payload(), signature: .hs512(app.secret))
            let tokens = [admin, editor, viewer, outsider, expired, forged, badRole, hs512, board.client.token ?? ""]
            secrets += tokens
            // A signature alone is as good as a leak: check the third segment of every token too.
            secrets += tokens.compactMap { $0.split(separator: ".", omittingEmptySubsequences: false).last.map(String.init) }
                .filter { $0.count >= 20 }

            func record(_ label: String, _ response: APIClient.Response) {
                let headers = response.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
                responses.append((label, headers + "\n\n" + response.text))
            }
            var anonymous = app.client()
            anonymous.token = nil
            let headers = ["X-Request-Id": marker]
            for token in tokens {
                let client = APIClient(port: app.port, token: token)
                record("campaign", try await client.request("GET", "/api/campaigns/\(board.id)", headers: headers))
                record("create", try await client.request("POST", board.tasksPath, json: ["phaseId": .string(board.phases[0]), "title": "leak"],
                                                          headers: headers))
                record("query token on REST", try await anonymous.request("GET", "/api/campaigns/\(board.id)/execution?access_token=\(token)",
                                                                         headers: headers))
                record("query token on SSE", try await anonymous.request("GET", "/api/events/\(Identifier.random())?access_token=\(token)"))
                record("two tokens", try await anonymous.request("GET", "/api/campaigns", headers: ["Authorization": "Bearer \(token) \(token)"]))
                record("basic", try await anonymous.request("GET", "/api/campaigns", headers: ["Authorization": "Basic \(token)"]))
                record("metrics with a JWT", try await client.request("GET", "/metrics"))
            }
            record("metrics", try await anonymous.request("GET", "/metrics", headers: ["Authorization": "Bearer \(metricsToken)"]))
            record("metrics wrong", try await anonymous.request("GET", "/metrics", headers: ["Authorization": "Bearer \(metricsToken)x"]))

            // A live stream with the token in the query string, and writes it receives.
            let stream = try await SSEClient(port: app.port, path: "/api/events/\(board.id)?access_token=\(viewer)", headers: headers)
            let connected = try await stream.next()
            let task = try await APIClient(port: app.port, token: editor).createTask(board.id, phaseId: board.phases[1], title: "streamed")
            let taskId = try #require(task["id"]?.stringValue)
            record("patch", try await APIClient(port: app.port, token: editor).request("PATCH", board.taskPath(taskId), json: ["title": "again"]))
            let events = try await stream.next(until: "history-update") + stream.next(until: "history-update")
            stream.close()
            let streamText = ([connected] + events).map { "\($0.event) \($0.data)" }.joined(separator: "\n")
                + stream.headers.map { "\($0.key): \($0.value)" }.joined(separator: "\n")
            responses.append(("stream", streamText))
            #expect(events.count >= 4)
            return app.logs
        }
        // The server has stopped: its shutdown lines are in the logs too. The scan means something
        // only if the session's requests were logged, so check that first.
        let lines = logs.all
        #expect(lines.count(where: { $0.contains(marker) }) >= 9 * 3, "the session's requests are not in the logs")
        #expect(lines.contains { $0.contains("[API]") && $0.contains("status=401") })
        for line in lines {
            for secret in secrets where line.contains(secret) {
                Issue.record("a log line holds a secret (\(secret.prefix(12))…): \(line.prefix(300))")
            }
        }
        for (label, text) in responses {
            for secret in secrets where text.contains(secret) {
                Issue.record("\(label): a response holds a secret (\(secret.prefix(12))…)")
            }
        }
    }
}
