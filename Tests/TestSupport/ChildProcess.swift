import Foundation
import Glibc

/// Runs a program to its end: the one way the tests start a program (curl, git, Python, pg-throwaway).
///
/// Two rules, each learnt from a hang:
/// - `posix_spawn` and a blocking `waitpid`, not Foundation's `Process`: its end is noticed through
///   SIGCHLD (which the swift-testing runner blocks) or a socket that every child started at the same
///   moment inherits, so a `git` could be waited for until an unrelated `curl` exited. Our pipes are
///   close-on-exec, so only the child's own copy on fd 0, 1 or 2 reaches it (and never a server it
///   daemonizes).
/// - From async code, on a thread of its own, never on Swift's cooperative pool: the pool has one
///   thread per core, and a `curl` waiting for a handler that needs one of them would wait for ever.
public enum ChildProcess {
    public struct Result: Sendable {
        public let status: Int32
        public let output: Data
        public let errors: String

        /// Exited normally with status 0 (WIFEXITED && WEXITSTATUS == 0, spelled out: the macros are not
        /// imported into Swift).
        public var succeeded: Bool { status & 0x7f == 0 && (status >> 8) & 0xff == 0 }
    }

    /// Runs `executable arguments…` with the file at `input` (or nothing) as its standard input, off the
    /// cooperative pool.
    public static func run(_ executable: String, _ arguments: [String], input: URL? = nil) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Swift.Result { try runBlocking(executable, arguments, inputPath: input?.path) })
            }.start()
        }
    }

    /// The same on the calling thread, which it blocks until the child has exited.
    public static func runBlocking(_ executable: String, _ arguments: [String], inputPath: String? = nil) throws -> Result {
        let output = try closeOnExecPipe()
        let errors = try closeOnExecPipe()
        defer { [output.read, errors.read].forEach { close($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inputPath ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output.write, 1)
        posix_spawn_file_actions_adddup2(&actions, errors.write, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, executable, &actions, nil, argv, environ)
        close(output.write)
        close(errors.write)
        guard spawned == 0 else { throw ChildProcessError("could not start \(executable): error \(spawned)") }
        // Standard output to its end, then standard error: a child is not expected to fill the
        // error pipe (64 KiB) before it closes its output.
        let data = readToEnd(output.read)
        let errorText = String(decoding: readToEnd(errors.read), as: UTF8.self)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return Result(status: status, output: Data(data), errors: errorText)
    }

    private static func closeOnExecPipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw ChildProcessError("pipe failed: errno \(errno)") }
        // Glibc does not export pipe2. A child another thread spawns in between may inherit these two
        // unflagged; then our read ends when that child exits, not for ever.
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (fds[0], fds[1])
    }

    private static func readToEnd(_ fd: Int32) -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 { bytes.append(contentsOf: buffer[0..<count]) } else if count == 0 || errno != EINTR { break }
        }
        return bytes
    }
}

public struct ChildProcessError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
