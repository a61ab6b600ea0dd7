import APITestSupport
import Foundation
import Testing
import TestSupport

/// `campaign-server` itself, as a process: SIGTERM reaches its service group as a graceful shutdown
/// (`/readyz` turns 503 `draining` while it still serves), a second SIGTERM ends the readiness delay,
/// and the process exits 0.
@Suite struct SignalShutdownTests {
    /// The executable beside the test bundle (`swift build --build-tests` builds both).
    static let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("campaign-server").path

    @Test func sigtermDrainsAndASecondOneEndsTheReadinessDelayThenTheProcessExitsZero() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable), "build campaign-server first: \(Self.executable)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("signal-shutdown-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.currentDirectoryURL = directory  // no .env there
        var environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOST": "127.0.0.1", "PORT": "0", "AUTH_DISABLED": "true", "LOG_LEVEL": "info",
            "SHUTDOWN_READINESS_DELAY_SECONDS": "3600",
        ]
        // Under ThreadSanitizer (scripts/test) the server beside the tests is a sanitized build too: it
        // takes the same suppressions, or a report they leave out would turn its exit status into 66.
        environment["TSAN_OPTIONS"] = ProcessInfo.processInfo.environment["TSAN_OPTIONS"]
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let logs = ProcessLog(output.fileHandleForReading)
        let (exited, exit) = AsyncStream<Void>.makeStream()
        process.terminationHandler = { _ in exit.finish() }
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        let port = try #require(await logs.port(), "the server never said where it listens: \(logs.text)")
        let client = APIClient(port: port, token: nil)
        #expect(try await client.request("GET", "/readyz").status == 200)

        kill(process.processIdentifier, SIGTERM)
        var draining: APIClient.Response?
        #expect(await eventually {
            draining = try? await client.request("GET", "/readyz")
            return draining?.status == 503
        })
        #expect(draining?.json["error"]?["field"]?.stringValue == "draining")
        #expect(process.isRunning, "the readiness delay (an hour) keeps it serving")

        kill(process.processIdentifier, SIGTERM)
        try await withHangGuard(seconds: 60) {
            for await _ in exited {}
        }
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0, "\(logs.text)")
        #expect(logs.text.contains("[HTTP] stopped"))
    }
}

/// What a child process writes, gathered as it comes.
final class ProcessLog: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    init(_ handle: FileHandle) {
        handle.readabilityHandler = { [weak self] handle in
            let chunk = handle.availableData
            guard let self, !chunk.isEmpty else { return }
            self.lock.withLock { self.data.append(chunk) }
        }
    }

    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }

    /// The port of the `[HTTP] listening` line, once it is written.
    func port() async -> Int? {
        var found: Int?
        _ = await eventually {
            found = text.split(separator: "\n").first { $0.contains("[HTTP] listening") }
                .flatMap { line in line.split(separator: " ").first { $0.hasPrefix("port=") } }
                .flatMap { Int($0.dropFirst(5)) }
            return found != nil
        }
        return found
    }
}
