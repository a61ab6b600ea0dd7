import Foundation
import Logging
import Postgres
import Synchronization
import TestSupport

/// Log lines captured in memory, so tests can check what reaches the logs.
final class CapturedLogs: Sendable {
    private let lines = Mutex<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    func append(_ line: String) { lines.withLock { $0.append(line) } }

    /// A logger at trace level whose output (message and metadata) lands here.
    func logger(label: String = "postgres-tests") -> Logger {
        Logger(label: label) { _ in CapturingLogHandler(logs: self) }
    }
}

struct CapturingLogHandler: LogHandler {
    let logs: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let rendered = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        logs.append("\(event.level) \(event.message) \(rendered)")
    }
}

enum PostgresTestHelpers {
    /// The shared test cluster's URL (suites using it are enabled only when it is set).
    static var url: String { TestDatabase.url ?? "" }

    static func makePool(size: Int = 2, acquireTimeoutSeconds: Int = 10, url: String = PostgresTestHelpers.url,
                         preparesStatements: Bool = true, sessionSetup: PostgresPool.SessionSetup? = nil,
                         logger: Logger = Logger(label: "postgres-tests")) -> PostgresPool {
        var configuration = PostgresPool.Configuration(connectionString: url, size: size, connectTimeoutSeconds: TestDatabase.connectTimeoutSeconds,
                                                       acquireTimeoutSeconds: acquireTimeoutSeconds,
                                                       preparesStatements: preparesStatements)
        configuration.sessionSetup = sessionSetup
        return PostgresPool(configuration: configuration, logger: logger)
    }

    /// A table name of the test's own, so tests sharing one cluster never see each other's rows.
    static func uniqueTableName(_ prefix: String) -> String {
        "\(prefix)_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased())"
    }

    /// A port nothing listens on: bound once by us, then released.
    static func closedPort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(socket, pointer, length) == 0 else { return -1 }
                return getsockname(socket, pointer, &length)
            }
        }
        guard bound == 0 else { throw PostgresError(kind: .connection, message: "could not reserve a port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A one-shot flag a worker thread can block on until the test opens it.
final class Gate: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    func open() { semaphore.signal() }
    func wait() { semaphore.wait() }
}

/// Values appended from several tasks or threads, in the order they happened.
final class Recorder<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])
    var all: [Value] { values.withLock { $0 } }
    func append(_ value: Value) { values.withLock { $0.append(value) } }
}

/// Runs blocking work (a cluster command) on a thread of its own instead of a cooperative one.
func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        thread.start()
    }
}
