import APITestSupport
import Foundation
import ServerConfiguration
import Testing
import TestSupport

/// `/livez` answers whenever the process serves and never asks the database; `/readyz` fails while
/// the database or the LISTEN connection is away, and comes back by itself.
@Suite struct ProbeTests {
    @Test func bothProbesAre200OnAHealthyInMemoryServer() async throws {
        let app = try await SharedServer.get(.memory)
        let client = app.client(token: nil)
        let live = try await client.request("GET", "/livez")
        #expect(live.status == 200 && live.json["status"] == "ok")
        let ready = try await client.request("GET", "/readyz")
        #expect(ready.status == 200 && ready.json["status"] == "ready")
    }

    @Test(.enabled(if: TestDatabase.isAvailable))
    func livezStays200AndReadyzIs503WhilePostgreSQLIsStopped() async throws {
        let database = try ThrowawayPostgres.start()
        defer { database.destroy() }
        try await withServer(.postgres, databaseURL: database.url) { app in
            let client = app.client(token: nil)
            // Ready once the listener has connected.
            #expect(await eventually { (try? await client.request("GET", "/readyz"))?.status == 200 })

            try database.stop()
            var notReady: APIClient.Response?
            #expect(await eventually {
                notReady = try? await client.request("GET", "/readyz")
                return notReady?.status == 503
            })
            let answer = try #require(notReady)
            expectError(answer, 503, code: "not_ready")
            let field = answer.json["error"]?["field"]?.stringValue
            #expect(field == "database" || field == "listener", "error.field \(field ?? "none")")
            // The database's own check fails too (not only the listener's), whichever is named first.
            #expect(await eventually {
                (try? await client.request("GET", "/readyz"))?.json["error"]?["message"]?.stringValue?.contains("database") == true
            })
            for _ in 0..<3 {
                let live = try await client.request("GET", "/livez")
                #expect(live.status == 200 && live.json["status"] == "ok")
            }

            try database.startAgain()
            #expect(await eventually { (try? await client.request("GET", "/readyz"))?.status == 200 })
        }
    }

    /// Shutdown fails readiness while the listener still accepts: during the readiness delay a new
    /// connection is accepted and told 503 `draining`, and only the second shutdown request (as a
    /// second SIGTERM would) ends the delay and closes the listener.
    @Test func shutdownFailsReadinessBeforeTheListenerCloses() async throws {
        let app = try await TestApplication.start(.memory, configure: { $0.shutdownReadinessDelaySeconds = 3600 })
        let server = app.application.server
        let client = app.client(token: nil)
        #expect(try await client.request("GET", "/readyz").status == 200)

        let firstShutdown = Task { await app.application.shutdown() }
        var draining: APIClient.Response?
        #expect(await eventually {
            draining = try? await client.request("GET", "/readyz")
            return draining?.status == 503
        })
        expectError(try #require(draining), 503, code: "not_ready", field: "draining")
        // An expected answer during a drain or an outage, not logged as a server error.
        #expect(!app.logs.contains("[API] request failed"))
        // Still accepting: the listener is open and new connections are served.
        #expect(!server.isShuttingDown)
        let acceptedBefore = server.statistics.acceptedConnections
        #expect(try await client.request("GET", "/livez").status == 200)
        #expect(server.statistics.acceptedConnections == acceptedBefore + 1)

        try await withHangGuard(seconds: 60) { await app.stop() }
        await firstShutdown.value
        #expect(server.isShuttingDown)
        #expect((try? await client.request("GET", "/livez")) == nil, "the listener still accepts after shutdown")
    }
}

/// DATABASE_LISTEN_URL: the LISTEN connection uses it (a direct connection when DATABASE_URL goes
/// through PgBouncer); the query pool keeps DATABASE_URL.
@Suite(.enabled(if: TestDatabase.isAvailable))
struct ListenURLTests {
    @Test func theListenerConnectsToTheListenURLAndTheQueriesToTheDatabaseURL() async throws {
        let database = try ThrowawayPostgres.start()
        defer { database.destroy() }
        // Nothing listens on port 1: only the listener is refused, queries still work.
        let unreachable = database.url.replacingOccurrences(of: ":\(database.port)/", with: ":1/")
        #expect(unreachable != database.url)
        try await withServer(.postgres, databaseURL: database.url, settings: { $0.database.listenURL = unreachable }) { app in
            let client = app.client(token: nil)
            // The listener tried the listen URL and failed (it reconnects with backoff); only then is the
            // answer below about the URL and not about a listener that has not connected yet.
            #expect(await eventually { app.logs.contains("[DB] listener connection lost; reconnecting") })
            var answer: APIClient.Response?
            #expect(await eventually {
                answer = try? await client.request("GET", "/readyz")
                return answer?.json["error"]?["field"]?.stringValue == "listener"
            })
            expectError(try #require(answer), 503, code: "not_ready", field: "listener")
            #expect(answer?.json["error"]?["message"]?.stringValue?.contains("database") == false)
            #expect(try await client.request("GET", "/api/health").status == 200)
        }
        // The same database by another spelling of its URL: the listener connects, the instance is ready.
        let direct = database.url + (database.url.contains("?") ? "&" : "?") + "application_name=campaign-listener"
        try await withServer(.postgres, databaseURL: database.url, settings: { $0.database.listenURL = direct }) { app in
            #expect(await eventually { (try? await app.client(token: nil).request("GET", "/readyz"))?.status == 200 })
        }
    }
}
