/// A value that only its event loop's thread may read or change (in the spirit of swift-nio's
/// `NIOLoopBound`): it may travel between threads inside a `Sendable` object, but every access
/// is checked, in debug builds, to happen on the loop. State confined to a loop needs no lock,
/// and a stray access from another thread stops a debug build instead of racing.
public struct LoopBound<Value>: @unchecked Sendable {
    public let loop: EventLoop
    private var storage: Value

    /// Binds `value` to `loop`; call on the loop's thread (or before the loop has started).
    public init(_ value: Value, loop: EventLoop) {
        self.loop = loop
        self.storage = value
    }

    /// Runs `body` with the value, in one access however much `body` reads and changes.
    public mutating func withValue<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        loop.assertInEventLoop()
        return try body(&storage)
    }

    public var value: Value {
        get {
            loop.assertInEventLoop()
            return storage
        }
        _modify {
            loop.assertInEventLoop()
            yield &storage
        }
    }
}
