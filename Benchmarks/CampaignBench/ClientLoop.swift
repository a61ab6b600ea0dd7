import CLinux
import Glibc

/// The benchmark's own epoll loop on the calling thread: no locks, no thread hops between a socket
/// becoming readable and the arrival time being taken, so the client adds as little latency as it can.
///
/// Handlers are found by a small integer token; a token freed during a batch is reused only after it,
/// so a stale event for a closed connection finds nothing instead of its successor.
final class ClientLoop {
    static let connectionEvents: UInt32 =
        EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue
    /// For a connection with nothing (more) to write: input and the peer's end only.
    static let inputEvents: UInt32 = EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue
    static let readable: UInt32 = EPOLLIN.rawValue | EPOLLRDHUP.rawValue
    static let peerClosed: UInt32 = EPOLLRDHUP.rawValue
    static let writable: UInt32 = EPOLLOUT.rawValue
    static let failed: UInt32 = EPOLLHUP.rawValue | EPOLLERR.rawValue

    /// One buffer every handler reads into and consumes before returning.
    let readBuffer: UnsafeMutableRawBufferPointer

    private let epollFD: Int32
    private let eventCapacity = 4096
    private let events: UnsafeMutablePointer<epoll_event>
    private var handlers: [PollHandler?] = []
    private var freeTokens: [Int] = []
    private var tokensFreedThisBatch: [Int] = []
    private var timers: [(deadline: UInt64, action: () -> Void)] = []

    init(readBufferSize: Int = 256 * 1024) throws {
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { throw BenchError("epoll_create1 failed: \(String(cString: strerror(errno)))") }
        events = .allocate(capacity: eventCapacity)
        readBuffer = .allocate(byteCount: readBufferSize, alignment: 16)
    }

    deinit {
        events.deallocate()
        readBuffer.deallocate()
        Glibc.close(epollFD)
    }

    /// Adds `fd` (edge-triggered) and returns the token to remove it with.
    func register(_ fd: Int32, handler: PollHandler, events: UInt32 = ClientLoop.connectionEvents) throws -> Int {
        let token: Int
        if let reused = freeTokens.popLast() {
            token = reused
            handlers[token] = handler
        } else {
            token = handlers.count
            handlers.append(handler)
        }
        var event = epoll_event()
        event.events = events
        event.data.u64 = UInt64(token)
        guard epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) == 0 else {
            let code = errno
            handlers[token] = nil
            freeTokens.append(token)
            throw BenchError("epoll_ctl(ADD) failed: \(String(cString: strerror(code)))")
        }
        return token
    }

    /// Removes `fd` before it is closed.
    func deregister(_ fd: Int32, token: Int) {
        var event = epoll_event()
        _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, &event)
        handlers[token] = nil
        tokensFreedThisBatch.append(token)
    }

    /// Runs `action` on the loop once `deadline` (monotonic nanoseconds) has passed.
    func schedule(at deadline: UInt64, _ action: @escaping () -> Void) {
        timers.append((deadline, action))
    }

    /// Serves events and timers until `done()` holds (true) or `deadline` passes (false).
    @discardableResult
    func run(deadline: UInt64, until done: () -> Bool) -> Bool {
        while true {
            fireDueTimers()
            if done() { return true }
            let now = Clock.now()
            if now >= deadline { return false }
            var wake = deadline
            for timer in timers where timer.deadline < wake { wake = timer.deadline }
            // Round up so a timer is never woken for a millisecond early and spun on.
            let milliseconds = wake > now ? min(1000, (wake - now + 999_999) / 1_000_000) : 0
            let count = epoll_wait(epollFD, events, Int32(eventCapacity), Int32(milliseconds))
            if count > 0 { dispatch(Int(count)) }
        }
    }

    /// Serves events for `seconds` (or until `stop()` holds).
    func idle(seconds: Double, unless stop: () -> Bool = { false }) {
        run(deadline: Clock.now() + Clock.nanoseconds(seconds: seconds), until: stop)
    }

    private func dispatch(_ count: Int) {
        for index in 0..<count {
            let event = events[index]
            handlers[Int(event.data.u64)]?.handleEvents(event.events)
        }
        if !tokensFreedThisBatch.isEmpty {
            freeTokens.append(contentsOf: tokensFreedThisBatch)
            tokensFreedThisBatch.removeAll(keepingCapacity: true)
        }
    }

    private func fireDueTimers() {
        guard !timers.isEmpty else { return }
        let now = Clock.now()
        var due: [() -> Void] = []
        timers.removeAll { timer in
            if timer.deadline <= now { due.append(timer.action); return true }
            return false
        }
        for action in due { action() }
    }
}
