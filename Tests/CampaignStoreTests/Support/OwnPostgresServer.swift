import Foundation
import Glibc
import TestSupport

/// A PostgreSQL cluster of one test's own, driven through `scripts/pg-throwaway`.
///
/// `TestSupport.ThrowawayPostgres` waits for the script with Foundation's `Process.waitUntilExit`,
/// which never returns under the swift-testing runner: every thread blocks SIGCHLD there (the main
/// thread parks in `dispatch_main`), so Foundation never learns that the child exited. This helper
/// spawns the script with `posix_spawn` and reaps it with a blocking `waitpid` on a dispatch queue,
/// which needs no signal.
final class OwnPostgresServer: Sendable {
    let directory: String
    let url: String

    private init(directory: String, url: String) {
        self.directory = directory
        self.url = url
    }

    struct ScriptError: Error, CustomStringConvertible {
        let description: String
    }

    static func start() async throws -> OwnPostgresServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("store-pg-\(UUID().uuidString.prefix(8))").path
        let url = try await run(["start", directory]).trimmingCharacters(in: .whitespacesAndNewlines)
        return OwnPostgresServer(directory: directory, url: url)
    }

    func stop() async throws { _ = try await Self.run(["stop", directory]) }

    func startAgain() async throws { _ = try await Self.run(["start", directory, String(port)]) }

    func restart() async throws { _ = try await Self.run(["restart", directory]) }

    /// Stops the server and deletes its data.
    func destroy() async {
        _ = try? await Self.run(["stop", directory])
        try? FileManager.default.removeItem(atPath: directory)
    }

    var port: Int {
        Int((try? String(contentsOfFile: directory + "/port", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
    }

    /// Runs the script off the cooperative threads; returns its standard output.
    private static func run(_ arguments: [String]) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runBlocking(arguments) })
            }
        }
    }

    private static func runBlocking(_ arguments: [String]) throws -> String {
        let script = Repository.root.appendingPathComponent("scripts/pg-throwaway").path
        var output: [Int32] = [0, 0]
        // Close-on-exec: only the dup2'd copy (fd 1) reaches the script, never the server it daemonizes,
        // or the read below would wait for the server to exit.
        guard pipe(&output) == 0 else { throw ScriptError(description: "pipe failed: errno \(errno)") }
        for fd in output { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_addclose(&actions, output[0])
        let argv = ([script] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, script, &actions, nil, argv, environ)
        close(output[1])
        guard spawned == 0 else {
            close(output[0])
            throw ScriptError(description: "posix_spawn \(script) failed: \(spawned)")
        }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(output[0], $0.baseAddress, $0.count) }
            if count > 0 { bytes.append(contentsOf: buffer[0..<count]) } else if count == 0 || errno != EINTR { break }
        }
        close(output[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED && WEXITSTATUS == 0, spelled out (the macros are not imported).
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw ScriptError(description: "pg-throwaway \(arguments.joined(separator: " ")) failed with status \(status)")
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
