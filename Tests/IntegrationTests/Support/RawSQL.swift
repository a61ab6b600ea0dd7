import Foundation
import Logging
import Postgres
import TestSupport

/// Plain SQL through libpq, as psql or another program would write: not through the API or the store.
enum RawSQL {
    static let logger = Logger(label: "integration-raw-sql") { _ in SwiftLogNoOpLogHandler() }

    /// A small pool on the shared test cluster.
    static let shared: PostgresPool = pool(TestDatabase.url ?? "")

    static func pool(_ url: String, size: Int = 2) -> PostgresPool {
        PostgresPool(configuration: .init(connectionString: url, size: size, acquireTimeoutSeconds: 60, preparesStatements: true), logger: logger)
    }

    /// Runs one statement on the shared cluster; returns the rows it affected.
    @discardableResult
    static func execute(_ sql: String, _ parameters: [String?] = []) async throws -> Int {
        try await shared.withConnection { try $0.execute(sql, parameters) }
    }
}

/// A database of a test's own on the shared cluster, for tests whose effects are global to a
/// database (pruning the event log): other tests keep working on theirs undisturbed.
struct ScratchDatabase: Sendable {
    let name: String
    let url: String

    static func create() async throws -> ScratchDatabase {
        guard let shared = TestDatabase.url, var components = URLComponents(string: shared) else {
            throw SetupFailure("TEST_DATABASE_URL is not a URI")
        }
        // Only hex digits of our own making go into the identifier.
        let name = "integration_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try await RawSQL.execute("CREATE DATABASE \(name)")
        components.path = "/" + name
        guard let url = components.string else { throw SetupFailure("cannot build the scratch database URL") }
        return ScratchDatabase(name: name, url: url)
    }

    func drop() async {
        _ = try? await RawSQL.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }
}
