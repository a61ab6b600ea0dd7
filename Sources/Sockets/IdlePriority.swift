import Glibc

/// Background threads that must never keep others from a core (the descriptor closer, a benchmark's
/// attacker) run at SCHED_IDLE: they get the CPU nobody else wants.
public enum IdlePriority {
    /// SCHED_IDLE, which glibc declares only under _GNU_SOURCE.
    private static let policy: Int32 = 5

    /// Lowers the calling thread to SCHED_IDLE; returns pthread_setschedparam's error, or 0.
    @discardableResult
    public static func applyToCallingThread() -> Int32 {
        var parameters = sched_param(sched_priority: 0)
        return pthread_setschedparam(pthread_self(), policy, &parameters)
    }
}
