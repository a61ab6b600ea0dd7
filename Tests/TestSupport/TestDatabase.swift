import Foundation

/// The PostgreSQL cluster the test command started for the whole run.
public enum TestDatabase {
    /// `TEST_DATABASE_URL`, exported by `scripts/test`; nil when tests run without it.
    public static var url: String? {
        let value = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"]
        return (value?.isEmpty ?? true) ? nil : value
    }

    /// Whether database-backed tests can run. Under CI the test command always sets the URL,
    /// so a missing URL there fails the run instead of skipping silently.
    public static var isAvailable: Bool {
        if url != nil { return true }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            fatalError("TEST_DATABASE_URL is not set under CI: run the tests through scripts/test")
        }
        return false
    }

    /// The connect timeout of every pool the tests open. libpq counts it in whole seconds from the
    /// current second, so 2 can expire after barely more than 1 s; CI runs hundreds of tests at once on
    /// many cores (each opening sessions, some running `initdb`), and a connect there took that long,
    /// which failed eight tests with `.unavailable`. What the tests check is never the connect time.
    public static let connectTimeoutSeconds = 30
}

/// The repository's top folder, found from this file's location.
public enum Repository {
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
