import Glibc

/// Dedicated OS threads for blocking libpq calls, which must never run on Swift's cooperative pool.
enum PostgresThread {
    private final class Start {
        let body: @Sendable () -> Void
        init(body: @escaping @Sendable () -> Void) {
            self.body = body
        }
    }

    /// Starts a detached thread running `body`.
    static func detach(_ body: @escaping @Sendable () -> Void) throws {
        let start = Unmanaged.passRetained(Start(body: body))
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { argument in
            let start = Unmanaged<Start>.fromOpaque(argument!).takeRetainedValue()
            start.body()
            return nil
        }, start.toOpaque())
        guard result == 0 else {
            start.release()
            throw PostgresError(kind: .connection, message: "could not start a database thread (error \(result))")
        }
        pthread_detach(thread)
    }

    /// Runs one blocking `body` on a thread of its own and returns its result.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            do {
                try detach { continuation.resume(with: Result { try body() }) }
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }
}
