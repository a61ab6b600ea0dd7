import Foundation

/// Runs Python from the project's test virtualenv (`scripts/install-deps --tests` puts PyJWT,
/// cryptography and prometheus_client there), or `$PYTHON`: the independent implementations some tests
/// check the server against.
public enum TestPython {
    public struct Result: Sendable {
        public let status: Int32
        public let output: Data
        public let errors: String
    }

    /// The repository's root, from this file's place in it.
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func executable() throws -> String {
        let python = ProcessInfo.processInfo.environment["PYTHON"]
            ?? repositoryRoot.appendingPathComponent(".build-venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw TestSetupFailure("\(python) is missing: run scripts/install-deps --tests (it installs the test's Python packages)")
        }
        return python
    }

    /// Runs `python arguments…` with `input` as its standard input; reads both outputs to their end before
    /// waiting, so no pipe can fill up and stall either side.
    public static func run(_ arguments: [String], input: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executable())
        process.arguments = arguments
        if let input { process.standardInput = try FileHandle(forReadingFrom: input) }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: data, errors: errorText)
    }
}
