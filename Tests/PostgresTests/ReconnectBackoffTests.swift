import Postgres
import Testing

@Suite struct ReconnectBackoffTests {
    @Test func delaysGrowByTheMultiplierWithoutJitter() {
        var backoff = ReconnectBackoff(initialDelayMilliseconds: 100, maximumDelayMilliseconds: 100_000,
                                       multiplier: 2, jitterFraction: 0)
        let delays = (0..<5).map { _ in backoff.nextDelayMilliseconds(random: 0.3) }
        #expect(delays == [100, 200, 400, 800, 1600])
        #expect(backoff.attempts == 5)
    }

    @Test func delaysStopAtTheMaximum() {
        var backoff = ReconnectBackoff(initialDelayMilliseconds: 100, maximumDelayMilliseconds: 1000,
                                       multiplier: 3, jitterFraction: 0)
        let delays = (0..<6).map { _ in backoff.nextDelayMilliseconds(random: 0) }
        #expect(delays == [100, 300, 900, 1000, 1000, 1000])
    }

    @Test func jitterStaysWithinItsFraction() {
        for random in stride(from: 0.0, to: 1.0, by: 0.05) {
            var backoff = ReconnectBackoff(initialDelayMilliseconds: 1000, maximumDelayMilliseconds: 10_000,
                                           multiplier: 2, jitterFraction: 0.2)
            let first = backoff.nextDelayMilliseconds(random: random)
            #expect(first >= 800 && first < 1200)
            let second = backoff.nextDelayMilliseconds(random: random)
            #expect(second >= 1600 && second < 2400)
        }
    }

    @Test func jitterSpreadsTheDelays() {
        var low = ReconnectBackoff(initialDelayMilliseconds: 1000, jitterFraction: 0.2)
        var high = ReconnectBackoff(initialDelayMilliseconds: 1000, jitterFraction: 0.2)
        #expect(low.nextDelayMilliseconds(random: 0) == 800)
        #expect(high.nextDelayMilliseconds(random: 0.99) == 1196)
    }

    @Test func jitterNeverExceedsTheMaximum() {
        var backoff = ReconnectBackoff(initialDelayMilliseconds: 5000, maximumDelayMilliseconds: 6000,
                                       multiplier: 2, jitterFraction: 0.5)
        for _ in 0..<10 {
            let delay = backoff.nextDelayMilliseconds(random: 0.999)
            #expect(delay <= 6000)
        }
        #expect(backoff.nextDelayMilliseconds(random: 0) == 3000)
    }

    @Test func resetStartsOver() {
        var backoff = ReconnectBackoff(initialDelayMilliseconds: 50, maximumDelayMilliseconds: 10_000, jitterFraction: 0)
        for _ in 0..<4 { _ = backoff.nextDelayMilliseconds(random: 0.5) }
        #expect(backoff.nextDelayMilliseconds(random: 0.5) == 800)
        backoff.reset()
        #expect(backoff.attempts == 0)
        #expect(backoff.nextDelayMilliseconds(random: 0.5) == 50)
        #expect(backoff.nextDelayMilliseconds(random: 0.5) == 100)
    }

    @Test func outOfRangeInputsAreClamped() {
        var backoff = ReconnectBackoff(initialDelayMilliseconds: 100, maximumDelayMilliseconds: 10,
                                       multiplier: 0.5, jitterFraction: 3)
        #expect(backoff.maximumDelayMilliseconds == 100)
        #expect(backoff.multiplier == 1)
        #expect(backoff.jitterFraction == 1)
        // random outside [0, 1) is clamped rather than producing a negative or huge delay
        #expect(backoff.nextDelayMilliseconds(random: -4) == 0)
        #expect(backoff.nextDelayMilliseconds(random: 9) == 100)
    }
}
