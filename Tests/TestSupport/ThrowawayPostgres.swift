import Foundation
import Glibc

/// A PostgreSQL cluster of a test's own, for tests that stop or restart the server
/// (they must not disturb the shared cluster other tests use at the same time).
///
/// The script is run with `posix_spawn` and reaped with a blocking `waitpid`: Foundation's
/// `Process.waitUntilExit` relies on SIGCHLD, which the swift-testing runner blocks on every
/// thread, so it would never return there.
public final class ThrowawayPostgres: Sendable {
    public let directory: String
    public let url: String

    private init(directory: String, url: String) {
        self.directory = directory
        self.url = url
    }

    /// Creates and starts a new cluster on a free port (about a second with fsync off).
    /// These calls block their thread for as long as `pg_ctl` takes.
    public static func start() throws -> ThrowawayPostgres {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("campaign-pg-\(UUID().uuidString.prefix(8))").path
        let url = try run(["start", directory]).trimmingCharacters(in: .whitespacesAndNewlines)
        return ThrowawayPostgres(directory: directory, url: url)
    }

    /// Stops the server (fast shutdown: every open connection is cut).
    public func stop() throws { try Self.run(["stop", directory]) }

    /// Starts it again on the same port and data.
    public func startAgain() throws { try Self.run(["start", directory, String(port)]) }

    /// Restarts the server, cutting every connection.
    public func restart() throws { try Self.run(["restart", directory]) }

    /// Stops the server and deletes its data.
    public func destroy() {
        _ = try? Self.run(["stop", directory])
        try? FileManager.default.removeItem(atPath: directory)
    }

    public var port: Int {
        Int((try? String(contentsOfFile: directory + "/port", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
    }

    /// Runs `scripts/pg-throwaway` with `arguments`; returns its standard output.
    @discardableResult
    static func run(_ arguments: [String]) throws -> String {
        let script = Repository.root.appendingPathComponent("scripts/pg-throwaway").path
        var output: [Int32] = [0, 0]
        guard pipe(&output) == 0 else { throw ThrowawayPostgresError(message: "pipe failed: errno \(errno)") }
        // Close-on-exec: only the copy on fd 1 reaches the script, never the server it daemonizes,
        // or reading to end of file would wait for the server to exit.
        for fd in output { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        let argv = ([script] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, script, &actions, nil, argv, environ)
        close(output[1])
        guard spawned == 0 else {
            close(output[0])
            throw ThrowawayPostgresError(message: "posix_spawn \(script) failed: \(spawned)")
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
        // WIFEXITED && WEXITSTATUS == 0, spelled out: the macros are not imported into Swift.
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw ThrowawayPostgresError(message: "pg-throwaway \(arguments.joined(separator: " ")) failed with status \(status)")
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

public struct ThrowawayPostgresError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
