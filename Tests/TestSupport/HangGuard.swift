/// Runs `operation`, failing instead of hanging the whole run if it never finishes.
/// Not a timing assertion: the bound is far beyond any expected duration, it only turns a hang into a failure.
public func withHangGuard<T: Sendable>(seconds: Int = 120, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw HangError(seconds: seconds)
        }
        return value
    }
}

/// What `withHangGuard` throws when the operation outlived its bound.
public struct HangError: Error, CustomStringConvertible {
    public let seconds: Int
    public var description: String { "the operation did not finish within \(seconds) s" }
}
