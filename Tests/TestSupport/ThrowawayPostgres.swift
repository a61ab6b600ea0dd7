import Foundation
import Glibc

/// A PostgreSQL cluster of a test's own, for tests that stop or restart the server
/// (they must not disturb the shared cluster other tests use at the same time).
///
/// The script runs through `ChildProcess.runBlocking` (posix_spawn and waitpid, see there).
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
        let result = try ChildProcess.runBlocking(script, arguments)
        guard result.succeeded else {
            throw ThrowawayPostgresError(
                message: "pg-throwaway \(arguments.joined(separator: " ")) failed with status \(result.status): \(result.errors)")
        }
        return String(decoding: result.output, as: UTF8.self)
    }
}

public struct ThrowawayPostgresError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
