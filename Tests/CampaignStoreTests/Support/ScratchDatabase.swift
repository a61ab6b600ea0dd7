import CampaignStore
import Foundation
import Postgres
import ServerConfiguration
import TestSupport

/// A database of a test's own on the shared cluster (`CREATE DATABASE`), for tests whose effects are
/// global: pruning the event log, reading the whole log, applying migrations to an empty schema.
struct ScratchDatabase: Sendable {
    let name: String
    let url: String
    let pool: PostgresPool

    struct SetUpError: Error, CustomStringConvertible {
        let description: String
    }

    static func create() async throws -> ScratchDatabase {
        guard let shared = TestDatabase.url, var components = URLComponents(string: shared) else {
            throw SetUpError(description: "TEST_DATABASE_URL is not a URI")
        }
        // Only hex digits of our own making go into the identifier.
        let name = "store_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try await SharedDatabase.rawPool.withConnection { connection in
            try connection.execute("CREATE DATABASE \(name)")
        }
        components.path = "/" + name
        guard let url = components.string else { throw SetUpError(description: "cannot build the scratch database URL") }
        let pool = PostgresPool(
            configuration: .init(connectionString: url, size: 6, connectTimeoutSeconds: TestDatabase.connectTimeoutSeconds, acquireTimeoutSeconds: 60, preparesStatements: true),
            logger: testLogger)
        return ScratchDatabase(name: name, url: url, pool: pool)
    }

    func migratedStore() async throws -> PostgresCampaignStore {
        try await PostgresCampaignStore.migrate(pool: pool, logger: testLogger)
        return PostgresCampaignStore(pool: pool, logger: testLogger, configuration: AppConfiguration().postgresStore)
    }

    func drop() async {
        await pool.shutdown()
        let name = self.name
        _ = try? await SharedDatabase.rawPool.withConnection { connection in
            try connection.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        }
    }
}
