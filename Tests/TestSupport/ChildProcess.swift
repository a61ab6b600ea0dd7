import Foundation

/// Runs a program to its end on a thread of its own, never on Swift's cooperative pool.
///
/// Why: the pool has one thread per core (two here), and a child's end is noticed late when another
/// child started at the same moment inherited its descriptors. A test that waited on the pool for
/// `curl`, while another waited there for `git`, took both threads; `curl` waited for a handler
/// that needed one of them, and the whole test process hung.
public enum ChildProcess {
    public struct Result: Sendable {
        public let status: Int32
        public let output: Data
        public let errors: String
    }

    /// Runs `executable arguments…` with `input` as its standard input; both outputs are read to their
    /// end before waiting (a child that fills its standard error before closing its output is not
    /// expected here).
    public static func run(_ executable: String, _ arguments: [String], input: URL? = nil) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Swift.Result { try runBlocking(executable, arguments, input: input) })
            }
            thread.start()
        }
    }

    private static func runBlocking(_ executable: String, _ arguments: [String], input: URL?) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
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
