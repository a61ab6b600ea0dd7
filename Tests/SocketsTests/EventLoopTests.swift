import Dispatch
import Glibc
import Sockets
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
}
