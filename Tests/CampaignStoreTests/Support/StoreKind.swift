import CampaignModel
import CampaignStore
import Foundation
import Logging
import Postgres
import ServerConfiguration
import Testing
import TestSupport

/// The two implementations the contract suite runs against.
enum StoreKind: String, Sendable, CustomTestStringConvertible {
    case memory
    case postgres

    /// In memory always; PostgreSQL when the test command provides a cluster.
    static var available: [StoreKind] { TestDatabase.isAvailable ? [.memory, .postgres] : [.memory] }

    var testDescription: String { rawValue }

    /// A store of this kind. In-memory stores are new per call; PostgreSQL stores share one migrated
    /// database, so each test works in campaigns of its own.
    func makeStore() async throws -> any CampaignStore {
        switch self {
        case .memory: return InMemoryCampaignStore(configuration: AppConfiguration().memoryStore)
        case .postgres: return try await SharedDatabase.store()
        }
    }

    /// A store with a database (or memory) of its own: for tests that prune the whole event log or
    /// must see only their own events.
    func makeIsolatedStore() async throws -> IsolatedStore {
        switch self {
        case .memory: return IsolatedStore(store: InMemoryCampaignStore(configuration: AppConfiguration().memoryStore), database: nil)
        case .postgres:
            let database = try await ScratchDatabase.create()
            return IsolatedStore(store: try await database.migratedStore(), database: database)
        }
    }
}

/// A store that no other test touches; `close()` drops its scratch database.
struct IsolatedStore: Sendable {
    let store: any CampaignStore
    let database: ScratchDatabase?

    func close() async {
        await database?.drop()
    }
}

let testLogger = Logger(label: "campaign-store-tests")

/// The shared test cluster's database, migrated once for the whole run.
enum SharedDatabase {
    private static let setUp = Task<PostgresCampaignStore, any Error> {
        let pool = PostgresPool(
            configuration: .init(connectionString: TestDatabase.url ?? "", size: 8, connectTimeoutSeconds: TestDatabase.connectTimeoutSeconds, acquireTimeoutSeconds: 60, preparesStatements: true),
            logger: testLogger)
        try await PostgresCampaignStore.migrate(pool: pool, logger: testLogger)
        return PostgresCampaignStore(pool: pool, logger: testLogger, configuration: AppConfiguration().postgresStore)
    }

    static func store() async throws -> PostgresCampaignStore {
        try await setUp.value
    }

    /// A pool on the shared database for raw SQL (the store's own pool is busy with the store's work).
    static let rawPool = PostgresPool(
        configuration: .init(connectionString: TestDatabase.url ?? "", size: 4, connectTimeoutSeconds: TestDatabase.connectTimeoutSeconds, acquireTimeoutSeconds: 60, preparesStatements: true),
        logger: testLogger)
}
