import Dispatch
import Glibc
@testable import Sockets
import Synchronization
import Testing

@Suite struct EventLoopTests {
    @Test func executeRunsWorkOnTheLoopThread() async throws {
        let loop = try EventLoop(name: "test-loop")
        try loop.start()
        defer { loop.stop() }
        let ran = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            loop.execute { continuation.resume(returning: true) }
        }
        #expect(ran)
    }

    @Test func workDeferredToTheEndOfABatchRunsAfterTheBatchOnTheLoopOnly() async throws {
        #expect(!EventLoop.runAfterCurrentBatch {}, "off a loop thread the caller must do the work itself")
        let loop = try EventLoop(name: "test-loop")
        try loop.start()
        defer { loop.stop() }
        let order = Mutex<[String]>([])
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            loop.execute {
                let deferred = EventLoop.runAfterCurrentBatch {
                    order.withLock { $0.append("deferred") }
                    continuation.resume()
                }
                order.withLock { $0.append(deferred ? "queued" : "refused") }
                order.withLock { $0.append("rest of the batch") }
            }
        }
        #expect(order.withLock { $0 } == ["queued", "rest of the batch", "deferred"])
    }

    @Test func readinessWatcherWakesWhenDataArrives() async throws {
        let loop = try EventLoop(name: "test-loop")
        try loop.start()
        defer { loop.stop() }
        var fds: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0, &fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        let watcher = try ReadinessWatcher(fd: fds[0], loop: loop)
        defer { watcher.close() }
        await watcher.waitReadable()  // the first wait returns at once: the caller must drain first
        let writer = fds[1]
        Task {
            try? await Task.sleep(for: .milliseconds(50))
            var byte: UInt8 = 7
            _ = write(writer, &byte, 1)
        }
        await watcher.waitReadable()
        var buffer = [UInt8](repeating: 0, count: 4)
        let result = buffer.withUnsafeMutableBytes { Socket.read(fds[0], into: $0) }
        #expect(result == .bytes(1))
        #expect(buffer[0] == 7)
    }

    @Test func aWatcherClosedFromSeveralThreadsAtOnceIsReleasedOnceAndFreed() async throws {
        // Two closes that both deregistered released the loop's reference twice, freeing the
        // watcher under its owner (a crash, sooner or later).
        let loop = try EventLoop(name: "test-loop")
        try loop.start()
        defer { loop.stop() }
        for _ in 0..<300 {
            var fds: [Int32] = [0, 0]
            #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0, &fds) == 0)
            weak var released: ReadinessWatcher?
            do {
                let watcher = try ReadinessWatcher(fd: fds[0], loop: loop)
                released = watcher
                DispatchQueue.concurrentPerform(iterations: 4) { _ in watcher.close() }
                // Deregistering releases the loop's reference on the loop thread: wait for it.
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    loop.execute { continuation.resume() }
                }
            }
            #expect(released == nil)
            close(fds[0])
            close(fds[1])
        }
    }

    @Test func tickHandlersRunPeriodically() async throws {
        let loop = try EventLoop(name: "test-loop", tickIntervalMilliseconds: 10)
        let ticks = Atomic<Int>(0)
        loop.onTick { ticks.add(1, ordering: .relaxed) }
        try loop.start()
        defer { loop.stop() }
        for _ in 0..<200 where ticks.load(ordering: .relaxed) < 3 {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(ticks.load(ordering: .relaxed) >= 3)
    }

    @Test func aTimerRunsOnTheLoopNoSoonerThanItsDeadline() async throws {
        // A tick of a minute: only the timer can wake the loop in time.
        let loop = try EventLoop(name: "test-loop", tickIntervalMilliseconds: 60_000)
        try loop.start()
        defer { loop.stop() }
        let ranAt = Atomic<UInt64>(0)
        let scheduledAt = Atomic<UInt64>(0)
        loop.execute {
            let now = EventLoop.monotonicMilliseconds()
            scheduledAt.store(now, ordering: .relaxed)
            loop.schedule(at: now + 30) {
                loop.preconditionInEventLoop()
                ranAt.store(EventLoop.monotonicMilliseconds(), ordering: .relaxed)
            }
        }
        for _ in 0..<1000 where ranAt.load(ordering: .relaxed) == 0 {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(ranAt.load(ordering: .relaxed) >= scheduledAt.load(ordering: .relaxed) + 30)
    }
}

/// The loop's one-shot timers: earliest first, ties in the order set, nothing early.
@Suite struct TimerQueueTests {
    @Test func takesWhatIsDueEarliestFirstAndTiesInOrder() {
        var queue = TimerQueue()
        let ran = Box<[Int]>([])
        for (deadline, tag) in [(30, 3), (10, 1), (20, 2), (10, 11), (50, 5), (20, 22)] {
            queue.schedule(at: UInt64(deadline)) { ran.value.append(tag) }
        }
        #expect(queue.nextDeadline == 10)
        for work in queue.takeDue(now: 9) { work() }
        #expect(ran.value.isEmpty)
        for work in queue.takeDue(now: 20) { work() }
        #expect(ran.value == [1, 11, 2, 22])
        #expect(queue.count == 2 && queue.nextDeadline == 30)
        for work in queue.takeDue(now: 1000) { work() }
        #expect(ran.value == [1, 11, 2, 22, 3, 5])
        #expect(queue.nextDeadline == nil)
    }

    @Test func staysAHeapUnderRandomDeadlines() {
        var queue = TimerQueue()
        var generator = SystemRandomNumberGenerator()
        let ran = Box<[UInt64]>([])
        for _ in 0..<2000 {
            let deadline = UInt64.random(in: 0..<500, using: &generator)
            queue.schedule(at: deadline) { ran.value.append(deadline) }
        }
        for now in stride(from: UInt64(0), through: 500, by: 7) {
            for work in queue.takeDue(now: now) { work() }
        }
        for work in queue.takeDue(now: 500) { work() }
        #expect(ran.value.count == 2000)
        #expect(ran.value == ran.value.sorted())
    }
}

private final class Box<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}
