import Sockets
import Testing

@Suite struct LoopBoundTests {
    @Test func theLoopKnowsItsOwnThread() async throws {
        let loop = try EventLoop(name: "test-loop")
        let other = try EventLoop(name: "other-loop")
        try loop.start()
        defer { loop.stop() }
        #expect(!loop.inEventLoop)
        let seen = await withCheckedContinuation { (continuation: CheckedContinuation<(Bool, Bool), Never>) in
            loop.execute { continuation.resume(returning: (loop.inEventLoop, other.inEventLoop)) }
        }
        #expect(seen == (true, false))
    }

    @Test func aBoundValueIsReadAndChangedOnItsLoop() async throws {
        let loop = try EventLoop(name: "test-loop")
        try loop.start()
        defer { loop.stop() }
        let counter = LoopBoundCounter(loop: loop)
        let total = await withCheckedContinuation { (continuation: CheckedContinuation<Int, Never>) in
            loop.execute {
                for _ in 0..<3 { counter.bound.value += 1 }
                continuation.resume(returning: counter.bound.value)
            }
        }
        #expect(total == 3)
    }

    #if DEBUG
    @Test func readingABoundValueOffItsLoopStopsADebugBuild() async throws {
        await #expect(processExitsWith: .failure) {
            let loop = try EventLoop(name: "test-loop")
            try loop.start()
            let counter = LoopBoundCounter(loop: loop)
            _ = counter.bound.value
        }
    }

    @Test func thePreconditionStopsTheProcessOffTheLoop() async throws {
        await #expect(processExitsWith: .failure) {
            let loop = try EventLoop(name: "test-loop")
            loop.preconditionInEventLoop()
        }
    }
    #endif
}

/// A class holding a loop-bound counter, as a connection holds its loop-confined state.
final class LoopBoundCounter: Sendable {
    nonisolated(unsafe) var bound: LoopBound<Int>
    init(loop: EventLoop) { bound = LoopBound(0, loop: loop) }
}
