import CampaignAPI
import CampaignApp
import ServerConfiguration

/// One running server per store kind, shared by the tests that need no special configuration
/// (each works in campaigns of its own, so they cannot see each other's tasks or events).
/// Tests that count metrics, read logs or change the configuration start a server of their own.
public enum SharedServer {
    private static let cache = ServerCache()

    public static func get(_ kind: TestStoreKind) async throws -> TestApplication {
        try await cache.server(kind)
    }
}

private actor ServerCache {
    private var starting: [TestStoreKind: Task<TestApplication, any Error>] = [:]

    func server(_ kind: TestStoreKind) async throws -> TestApplication {
        if let task = starting[kind] { return try await task.value }
        let task = Task { try await TestApplication.start(kind) }
        starting[kind] = task
        return try await task.value
    }
}

/// Starts a server of its own for one test and always stops it, whatever `body` does.
public func withServer<T>(
    _ kind: TestStoreKind, authDisabled: Bool = false, databaseURL: String? = nil, assets: StaticAssets = StaticAssets(),
    configure: (inout CampaignApplication.Configuration) -> Void = { _ in },
    settings: (inout AppConfiguration) -> Void = { _ in },
    _ body: (TestApplication) async throws -> T
) async throws -> T {
    let app = try await TestApplication.start(
        kind, authDisabled: authDisabled, databaseURL: databaseURL, assets: assets, configure: configure, settings: settings)
    do {
        let result = try await body(app)
        await app.stop()
        return result
    } catch {
        await app.stop()
        throw error
    }
}
