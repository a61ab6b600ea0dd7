import Synchronization

/// Lets an async task wait until a descriptor it does not own (libpq's socket, say) is readable,
/// using the event loop instead of a blocked thread.
///
/// Edge-triggered: an event seen while nobody waits is remembered, so the usual loop
/// "consume everything available, then `await waitReadable()`" never misses a wake-up.
public final class ReadinessWatcher: EventSink, Sendable {
    private enum State {
        case idle(ready: Bool)
        case waiting(CheckedContinuation<Void, Never>)
        case closed
    }

    public let fd: Int32
    private let loop: EventLoop
    private let state = Mutex(State.idle(ready: true))

    /// Registers `fd` with `loop` for readability and hang-up.
    public init(fd: Int32, loop: EventLoop) throws {
        self.fd = fd
        self.loop = loop
        try loop.register(fd, events: EventLoop.readable | EventLoop.hangUp | EventLoop.edgeTriggered, sink: self)
    }

    /// Returns once the descriptor has been readable (or hung up) since the previous call,
    /// or at once if the watcher is closed or the task is cancelled.
    public func waitReadable() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    switch state {
                    case .idle(ready: true):
                        state = .idle(ready: false)
                        return true
                    case .idle(ready: false):
                        if Task.isCancelled { return true }
                        state = .waiting(continuation)
                        return false
                    case .waiting:
                        preconditionFailure("ReadinessWatcher supports one waiter at a time")
                    case .closed:
                        return true
                    }
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            wake(closing: false)
        }
    }

    public func handleEvents(_ events: UInt32) {
        wake(closing: false)
    }

    /// Stops watching (does not close the descriptor) and releases any waiter. Callable from any
    /// thread, more than once: only the first call deregisters, as a second release of the loop's
    /// reference would free the watcher under it.
    public func close() {
        let (wasOpen, waiter) = state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
            switch state {
            case .closed:
                return (false, nil)
            case .waiting(let continuation):
                state = .closed
                return (true, continuation)
            case .idle:
                state = .closed
                return (true, nil)
            }
        }
        guard wasOpen else { return }
        loop.deregister(fd, sink: self)
        waiter?.resume()
    }

    private func wake(closing: Bool) {
        let continuation = state.withLock { state -> CheckedContinuation<Void, Never>? in
            switch state {
            case .waiting(let continuation):
                state = closing ? .closed : .idle(ready: false)
                return continuation
            case .idle:
                state = closing ? .closed : .idle(ready: true)
                return nil
            case .closed:
                return nil
            }
        }
        continuation?.resume()
    }
}
