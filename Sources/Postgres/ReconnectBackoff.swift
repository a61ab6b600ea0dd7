/// Jittered, capped exponential backoff for reconnects; a plain struct, no clock inside.
///
/// The n-th delay (from 0) is `min(initial × multiplierⁿ, maximum)`, spread by ±`jitterFraction`
/// so that many instances losing the same server do not reconnect in lockstep, and never above `maximum`.
public struct ReconnectBackoff: Sendable, Equatable {
    public let initialDelayMilliseconds: Int
    public let maximumDelayMilliseconds: Int
    public let multiplier: Double
    public let jitterFraction: Double
    /// Delays handed out since the last `reset()`.
    public private(set) var attempts: Int = 0
    private var currentDelay: Double

    /// Creates a backoff; out-of-range values are clamped (jitter to 0…1, multiplier to ≥ 1, maximum to ≥ initial).
    public init(initialDelayMilliseconds: Int = 100, maximumDelayMilliseconds: Int = 10_000,
                multiplier: Double = 2, jitterFraction: Double = 0.2) {
        self.initialDelayMilliseconds = max(0, initialDelayMilliseconds)
        self.maximumDelayMilliseconds = max(self.initialDelayMilliseconds, maximumDelayMilliseconds)
        self.multiplier = multiplier.isFinite ? max(1, multiplier) : 1
        self.jitterFraction = jitterFraction.isFinite ? min(1, max(0, jitterFraction)) : 0
        currentDelay = Double(self.initialDelayMilliseconds)
    }

    /// The delay before the next attempt; `random` in [0,1) injected so tests are deterministic.
    public mutating func nextDelayMilliseconds(random: Double) -> Int {
        let unit = random.isFinite ? min(max(random, 0), 1) : 0.5
        let maximum = Double(maximumDelayMilliseconds)
        let base = min(currentDelay, maximum)
        let jittered = base * (1 - jitterFraction + 2 * jitterFraction * unit)
        currentDelay = min(currentDelay * multiplier, maximum)
        attempts += 1
        return Int(min(max(jittered, 0), maximum).rounded(.down))
    }

    /// Starts over from the initial delay (call after a successful reconnect).
    public mutating func reset() {
        currentDelay = Double(initialDelayMilliseconds)
        attempts = 0
    }
}
