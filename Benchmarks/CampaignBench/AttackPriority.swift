import ArgumentParser
import Sockets

/// The attack thread's scheduling priority. On one machine the tool's threads share the cores with
/// the server, and the kernel wakes a thread on the core of the thread that woke it: an attack's burst
/// of sends keeps the server's loop (woken by those sends) and the probe waiting for that core. A real
/// attacker spends that CPU on machines of its own.
enum AttackPriority: String, Codable, Sendable, ExpressibleByArgument {
    /// SCHED_IDLE: the attack runs on whatever core nobody else wants, so what the probe measures is
    /// the server's work, not the attacker's. It weakens an attack only if the attack needed the busy
    /// cores: compare its counts (requests, bytes, connections) with a `normal` run.
    case idle
    /// The attack competes for the cores as an equal of the server and the probe.
    case normal

    /// Applies the priority to the calling thread; returns a sentence when it could not.
    func applyToCurrentThread() -> String? {
        guard self == .idle else { return nil }
        let result = IdlePriority.applyToCallingThread()
        return result == 0 ? nil : "the attack thread stays at normal priority (pthread_setschedparam: \(result))"
    }
}
