import CLinux
import Glibc
import Synchronization

/// One epoll instance served by one dedicated thread.
///
/// Descriptors are registered once, edge-triggered; the epoll event carries an unmanaged pointer to
/// the sink, so dispatching an event is a pointer load, not a dictionary lookup or an actor hop.
/// Other threads hand work to the loop with `execute`, which wakes it through an eventfd.
public final class EventLoop: @unchecked Sendable {
    /// Edge-triggered read, write and peer-hang-up readiness: what connections register with.
    public static let connectionEvents: UInt32 =
        EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue
    public static let readable: UInt32 = EPOLLIN.rawValue
    public static let writable: UInt32 = EPOLLOUT.rawValue
    /// The peer hung up or the socket failed: the connection is finished.
    public static let hangUp: UInt32 = EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue
    public static let edgeTriggered: UInt32 = EPOLLET.rawValue
    /// The peer finished sending (it may still read).
    public static let peerFinishedWriting: UInt32 = EPOLLRDHUP.rawValue
    /// Both directions are finished or the socket failed (not just the peer's half-close).
    public static let failedOrClosed: UInt32 = EPOLLHUP.rawValue | EPOLLERR.rawValue

    public let name: String
    private let epollFD: Int32
    private let wakeFD: Int32
    private let tickIntervalMilliseconds: Int

    private struct Jobs: ~Copyable {
        var queue: [@Sendable () -> Void] = []
        var wakeRequested = false
        /// `run()` has returned: work handed over now could never run, only hold what it captured.
        var finished = false
    }
    private let jobs = Mutex(Jobs())
    private let stopRequested = Atomic<Bool>(false)
    private let runningThread = Mutex<pthread_t?>(nil)

    // Touched on the loop thread only.
    private var eventBuffer: UnsafeMutablePointer<epoll_event>
    private var eventCapacity: Int
    private var tickHandlers: [() -> Void] = []
    private var lastTick: UInt64 = 0
    private var afterBatch: [() -> Void] = []
    private var timers = TimerQueue()

    /// The loop running on the current thread, if any (set by `run()`).
    private static let currentKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Creates the epoll instance; call `start()` (own thread) or `run()` (current thread) next.
    public init(name: String, tickIntervalMilliseconds: Int = 250, initialEventCapacity: Int = 256) throws {
        self.name = name
        self.tickIntervalMilliseconds = tickIntervalMilliseconds
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { throw SocketError("epoll_create1") }
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard wakeFD >= 0 else {
            let error = SocketError("eventfd")
            Glibc.close(epollFD)
            throw error
        }
        eventCapacity = initialEventCapacity
        eventBuffer = .allocate(capacity: initialEventCapacity)
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | EPOLLET.rawValue
        event.data.u64 = 0  // token 0 is the wake-up eventfd
        guard epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, &event) == 0 else {
            throw SocketError("epoll_ctl(eventfd)")
        }
    }

    deinit {
        eventBuffer.deallocate()
        Glibc.close(wakeFD)
        Glibc.close(epollFD)
    }

    /// Registers `fd` once for `events`; the loop keeps `sink` alive until `deregister`.
    public func register(_ fd: Int32, events: UInt32 = EventLoop.connectionEvents, sink: EventSink) throws {
        let token = Unmanaged.passRetained(sink as AnyObject)
        var event = epoll_event()
        event.events = events
        event.data.u64 = UInt64(UInt(bitPattern: token.toOpaque()))
        guard epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) == 0 else {
            token.release()
            throw SocketError("epoll_ctl(ADD)")
        }
    }

    /// Removes `fd` from the loop. The sink is released only after the current batch of events,
    /// so a stale event already fetched for it still finds a live object (which ignores it).
    /// Call before closing the descriptor.
    public func deregister(_ fd: Int32, sink: EventSink) {
        var event = epoll_event()
        _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, &event)
        // The address travels as an integer: the object is only touched again on the loop thread.
        let address = UInt(bitPattern: Unmanaged.passUnretained(sink as AnyObject).toOpaque())
        execute { Unmanaged<AnyObject>.fromOpaque(UnsafeRawPointer(bitPattern: address)!).release() }
    }

    /// Whether the calling thread is this loop's thread (inside `run()`).
    public var inEventLoop: Bool {
        pthread_getspecific(Self.currentKey) == Unmanaged.passUnretained(self).toOpaque()
    }

    /// Stops the process unless called on this loop's thread: for state only the loop may touch.
    public func preconditionInEventLoop(file: StaticString = #fileID, line: UInt = #line) {
        precondition(inEventLoop, "called off the event loop \(name)", file: file, line: line)
    }

    /// `preconditionInEventLoop` in debug builds only: for checks on hot paths (see `LoopBound`).
    @inline(__always)
    public func assertInEventLoop(file: StaticString = #fileID, line: UInt = #line) {
        assert(inEventLoop, "called off the event loop \(name)", file: file, line: line)
    }

    /// Runs `work` on the loop thread soon; callable from any thread. Once the loop has stopped, `work`
    /// is dropped.
    public func execute(_ work: @escaping @Sendable () -> Void) {
        let mustWake = jobs.withLock { jobs -> Bool in
            if jobs.finished { return false }
            jobs.queue.append(work)
            if jobs.wakeRequested { return false }
            jobs.wakeRequested = true
            return true
        }
        if mustWake {
            var one: UInt64 = 1
            _ = Glibc.write(wakeFD, &one, 8)
        }
    }

    /// On the loop thread: runs `work` on this loop once the monotonic clock reaches `deadline`
    /// (milliseconds, see `monotonicMilliseconds`), after the events and jobs of that turn. For work that
    /// must not wait for the next tick, nor run early: a throttled connection resuming when its
    /// address's budget refills, not a quarter of a second later all at once.
    public func schedule(at deadline: UInt64, _ work: @escaping () -> Void) {
        preconditionInEventLoop()
        timers.schedule(at: deadline, work)
    }

    /// How long `epoll_wait` may sleep: until the next tick or the next timer, whichever comes first.
    private func waitMilliseconds() -> Int32 {
        let now = Self.monotonicMilliseconds()
        var wait = max(0, tickIntervalMilliseconds - Int(now &- lastTick))
        if let deadline = timers.nextDeadline {
            wait = deadline <= now ? 0 : min(wait, Int(deadline - now))
        }
        return Int32(wait)
    }

    /// Adds a handler called on the loop thread about every tick interval (timeouts, clocks).
    /// Call before `start()` or from the loop thread.
    public func onTick(_ handler: @escaping () -> Void) {
        tickHandlers.append(handler)
    }

    /// Starts the loop on a dedicated thread.
    public func start() throws {
        let thread = try NamedThread.start(name: name) { self.run() }
        runningThread.withLock { $0 = thread }
    }

    /// Asks the loop to return from `run()` after the current batch, and waits for its thread.
    public func stop() {
        stopRequested.store(true, ordering: .releasing)
        execute {}
        if let thread = runningThread.withLock({ value -> pthread_t? in defer { value = nil }; return value }) {
            if pthread_equal(thread, pthread_self()) == 0 {
                pthread_join(thread, nil)
            }
        }
    }

    /// Runs the loop on the calling thread until `stop()`.
    public func run() {
        pthread_setspecific(Self.currentKey, Unmanaged.passUnretained(self).toOpaque())
        defer { pthread_setspecific(Self.currentKey, nil) }
        lastTick = Self.monotonicMilliseconds()
        while !stopRequested.load(ordering: .acquiring) {
            let count = epoll_wait(epollFD, eventBuffer, Int32(eventCapacity), waitMilliseconds())
            if count > 0 {
                dispatch(count: Int(count))
                if Int(count) == eventCapacity { growEventBuffer() }
            }
            runJobs()
            let now = Self.monotonicMilliseconds()
            if let deadline = timers.nextDeadline, deadline <= now {
                for work in timers.takeDue(now: now) { work() }
            }
            if now &- lastTick >= UInt64(tickIntervalMilliseconds) {
                lastTick = now
                for handler in tickHandlers { handler() }
            }
            runAfterBatch()
        }
        runJobs()
        runAfterBatch()
        // A stopped loop never runs anything again. Its tick handlers, and work handed to it from
        // now on (a handler answering after its server stopped), usually capture their owner, which
        // owns the loop: kept, they would keep both alive for ever.
        tickHandlers.removeAll()
        timers.removeAll()
        let late = jobs.withLock { jobs -> [@Sendable () -> Void] in
            jobs.finished = true
            defer { jobs.queue = [] }
            return jobs.queue
        }
        _ = late  // released here, outside the lock (their captures may run deinits)
    }

    /// On a loop thread: queues `work` to run once the loop has handled the events it is handling
    /// now, and returns true. Elsewhere: returns false (the caller does the work itself).
    ///
    /// For hand-offs to other threads: waking a thread per event costs a futex call and a context
    /// switch; handing over once per batch lets a burst of a thousand events cost a few.
    public static func runAfterCurrentBatch(_ work: @escaping () -> Void) -> Bool {
        guard let raw = pthread_getspecific(currentKey) else { return false }
        Unmanaged<EventLoop>.fromOpaque(raw).takeUnretainedValue().afterBatch.append(work)
        return true
    }

    private func runAfterBatch() {
        while !afterBatch.isEmpty {
            let batch = afterBatch
            afterBatch.removeAll(keepingCapacity: true)
            for work in batch { work() }
        }
    }

    @inline(__always)
    private func dispatch(count: Int) {
        for index in 0..<count {
            let event = eventBuffer[index]
            let token = event.data.u64
            if token == 0 {
                var value: UInt64 = 0
                _ = Glibc.read(wakeFD, &value, 8)
                continue
            }
            let pointer = UnsafeRawPointer(bitPattern: UInt(token))!
            let sink = Unmanaged<AnyObject>.fromOpaque(pointer).takeUnretainedValue() as! EventSink
            sink.handleEvents(event.events)
        }
    }

    private func runJobs() {
        let batch = jobs.withLock { jobs -> [@Sendable () -> Void] in
            jobs.wakeRequested = false
            if jobs.queue.isEmpty { return [] }
            let batch = jobs.queue
            jobs.queue.removeAll(keepingCapacity: true)
            return batch
        }
        for job in batch { job() }
    }

    /// A full batch means more descriptors were ready than we asked for: ask for more next time.
    private func growEventBuffer() {
        let newCapacity = eventCapacity * 2
        eventBuffer.deallocate()
        eventBuffer = .allocate(capacity: newCapacity)
        eventCapacity = newCapacity
    }

    /// Milliseconds on the monotonic clock.
    @inline(__always)
    public static func monotonicMilliseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) &* 1000 &+ UInt64(now.tv_nsec / 1_000_000)
    }

    /// Nanoseconds on the monotonic clock.
    @inline(__always)
    public static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
    }
}
