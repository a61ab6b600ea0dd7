import Foundation

/// A PostgreSQL cluster of a test's own, for tests that stop or restart the server
/// (they must not disturb the shared cluster other tests use at the same time).
public final class ThrowawayPostgres: @unchecked Sendable {
    public let directory: String
    public let url: String

    private init(directory: String, url: String) {
        self.directory = directory
        self.url = url
    }

    /// Creates and starts a new cluster on a free port (about a second with fsync off).
    public static func start() throws -> ThrowawayPostgres {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("campaign-pg-\(UUID().uuidString.prefix(8))").path
        let url = try run(["start", directory]).trimmingCharacters(in: .whitespacesAndNewlines)
        return ThrowawayPostgres(directory: directory, url: url)
    }

    /// Stops the server (fast shutdown: open connections are cut, as in a crash of the network path).
    public func stop() throws { _ = try Self.run(["stop", directory]) }

    /// Starts it again on the same port and data.
    public func startAgain() throws { _ = try Self.run(["start", directory, String(port)]) }

    /// Restarts the server, cutting every connection.
    public func restart() throws { _ = try Self.run(["restart", directory]) }

    /// Stops the server and deletes its data.
    public func destroy() {
        _ = try? Self.run(["stop", directory])
        try? FileManager.default.removeItem(atPath: directory)
    }

    public var port: Int {
        Int((try? String(contentsOfFile: directory + "/port", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
    }

    @discardableResult
    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = Repository.root.appendingPathComponent("scripts/pg-throwaway")
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ThrowawayPostgresError(
                message: "pg-throwaway \(arguments.joined(separator: " ")) failed: "
                    + (String(data: errorData, encoding: .utf8) ?? ""))
        }
        return String(data: data, encoding: .utf8) ?? ""
    }
}

public struct ThrowawayPostgresError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
