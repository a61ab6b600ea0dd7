import Realtime
import Synchronization
import Testing

/// The production clock: monotonic, a sleep ends at or after its deadline, and a deadline too far to
/// reach (a token valid for centuries) is slept towards without trapping, until cancelled.
@Suite struct SystemRealtimeClockTests {
    @Test func aSleepEndsOnlyOnceTheClockReachedItsDeadline() async throws {
        let clock = SystemRealtimeClock()
        let start = clock.now()
        let deadline = start + 20
        try await clock.sleep(until: deadline)
        #expect(clock.now() >= deadline)
        try await clock.sleep(until: start)  // a past deadline returns at once
        #expect(clock.now() >= deadline)
    }

    @Test func aSleepTowardsTheEndOfTimeEndsWhenCancelled() async throws {
        let clock = SystemRealtimeClock()
        let ended = Atomic<Bool>(false)
        let sleeper = Task { () -> Bool in
            defer { ended.store(true, ordering: .releasing) }
            do {
                try await clock.sleep(until: .max)
                return false
            } catch {
                return error is CancellationError
            }
        }
        // Still asleep after a moment of real time: the far deadline was not read as a past one.
        try await clock.sleep(until: clock.now() + 100)
        let endedEarly = ended.load(ordering: .acquiring)
        #expect(!endedEarly, "a sleep towards UInt64.max must not end by itself")
        sleeper.cancel()
        let endedByCancellation = await sleeper.value
        #expect(endedByCancellation, "cancellation ends the sleep with CancellationError")
    }
}
