import Foundation
import Glibc
import TestSupport

/// A PostgreSQL cluster of a test's own, driven through `scripts/pg-throwaway` like `ThrowawayPostgres`.
///
/// Why not `ThrowawayPostgres`: it waits with Foundation's `Process`, which on this Linux toolchain
/// considers a child running for as long as any process inheriting its descriptors lives — and the
/// PostgreSQL server that `pg_ctl start` leaves behind does, so `start()` never returns (verified:
/// `bash -c "(sleep 30 &); echo hi"` keeps `isRunning` true). Here the script is started with
/// `posix_spawn`, its output goes to a file, and `waitpid` waits for the script alone.
final class PostgresTestCluster: Sendable {
    let directory: String
    let url: String

    private init(directory: String, url: String) {
        self.directory = directory
        self.url = url
    }

    /// Creates and starts a new cluster on a free port.
    static func start() throws -> PostgresTestCluster {
        let directory = NSTemporaryDirectory() + "pgtests-" + UUID().uuidString.prefix(8).lowercased()
        let url = try run(["start", directory]).trimmingCharacters(in: .whitespacesAndNewlines)
        return PostgresTestCluster(directory: directory, url: url)
    }

    /// Stops the server (fast shutdown: every session is cut).
    func stop() throws { try Self.run(["stop", directory]) }

    /// Starts it again on the same port and data.
    func startAgain() throws { try Self.run(["start", directory, String(port)]) }

    /// Restarts the server (fast), cutting every session; returns once it accepts connections again.
    func restart() throws { try Self.run(["restart", directory]) }

    /// Stops the server and deletes its data.
    func destroy() {
        _ = try? Self.run(["stop", directory])
        try? FileManager.default.removeItem(atPath: directory)
    }

    var port: Int {
        Int((try? String(contentsOfFile: directory + "/port", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
    }

    struct ScriptError: Error, CustomStringConvertible {
        let description: String
    }

    @discardableResult
    private static func run(_ arguments: [String]) throws -> String {
        let script = Repository.root.appendingPathComponent("scripts/pg-throwaway").path
        let outputPath = NSTemporaryDirectory() + "pgtests-output-" + UUID().uuidString
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([script] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, script, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw ScriptError(description: "posix_spawn pg-throwaway failed: errno \(spawned)")
        }
        var status: Int32 = 0
        var waited: pid_t
        repeat { waited = waitpid(pid, &status, 0) } while waited < 0 && errno == EINTR
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        // WIFEXITED && WEXITSTATUS == 0, spelled out: the C macros are not imported.
        guard waited == pid, status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw ScriptError(description: "pg-throwaway \(arguments.joined(separator: " ")) failed: \(output)")
        }
        return output
    }
}

/// Runs blocking work (a cluster command) on a thread of its own instead of a cooperative one.
func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        thread.start()
    }
}
