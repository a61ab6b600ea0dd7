import Foundation

/// Runs Python from the project's test virtualenv (`scripts/install-deps --tests` puts PyJWT,
/// cryptography and prometheus_client there), or `$PYTHON`: the independent implementations some tests
/// check the server against.
public enum TestPython {
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

    /// Runs `python arguments…` with `input` as its standard input, off the cooperative pool.
    public static func run(_ arguments: [String], input: URL? = nil) async throws -> ChildProcess.Result {
        try await ChildProcess.run(try executable(), arguments, input: input)
    }
}
