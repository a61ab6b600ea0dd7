import Realtime
import Testing

@Suite struct DebounceBufferTests {
    @Test func aLoneEventFlushesAtOnce() {
        var buffer = DebounceBuffer<Int>(windowMilliseconds: 5)
        #expect(buffer.add([1], now: 1000) == .flushNow)
        #expect(buffer.drain() == [1])
        #expect(buffer.flushFinished(now: 1001) == .idle)
    }

    @Test func eventsArrivingDuringAFlushAreCoalescedIntoOneFlush() {
        var buffer = DebounceBuffer<Int>(windowMilliseconds: 5)
        #expect(buffer.add([1], now: 0) == .flushNow)
        #expect(buffer.drain() == [1])
        // A burst arrives while the first flush is still writing.
        #expect(buffer.add([2], now: 1) == .wait(untilMilliseconds: 6))
        #expect(buffer.add([3, 4], now: 2) == .wait(untilMilliseconds: 7))
        #expect(buffer.flushFinished(now: 3) == .wait(untilMilliseconds: 8))
        #expect(buffer.tick(now: 5) == .wait(untilMilliseconds: 8))
        #expect(buffer.tick(now: 8) == .flushNow)
        #expect(buffer.drain() == [2, 3, 4])
        #expect(buffer.flushFinished(now: 9) == .idle)
    }

    @Test func afterTheWindowAnEventFlushesAtOnceAgain() {
        var buffer = DebounceBuffer<Int>(windowMilliseconds: 5)
        _ = buffer.add([1], now: 0)
        _ = buffer.drain()
        _ = buffer.flushFinished(now: 1)
        #expect(buffer.add([2], now: 3) == .wait(untilMilliseconds: 6))
        #expect(buffer.add([3], now: 100) == .flushNow)
        #expect(buffer.drain() == [2, 3])
    }

    @Test func aZeroWindowNeverWaitsWhenIdle() {
        var buffer = DebounceBuffer<Int>(windowMilliseconds: 0)
        _ = buffer.add([1], now: 0)
        _ = buffer.drain()
        #expect(buffer.flushFinished(now: 0) == .idle)
        #expect(buffer.add([2], now: 0) == .flushNow)
    }
}
