import Foundation
import Synchronization

/// Runs one attack on a thread with its own `ClientLoop`, so the probe's loop never waits behind the
/// attack's sends and its arrival times stay the server's doing. Talks to the probe's thread through
/// a stop flag and the final counts only.
final class AttackThread: Sendable {
    private let stopRequested = Atomic<Bool>(false)
    private let stopReason = Mutex<String?>(nil)
    private let outcome = Mutex<Result<AttackCounts, BenchError>?>(nil)

    /// Starts the attack of `settings` at once.
    init(settings: AttackSettings) {
        let thread = Thread { [self] in
            if let failure = settings.priority.applyToCurrentThread() {
                FileHandle.standardError.write(Data("campaign-bench: \(failure)\n".utf8))
            }
            let result: Result<AttackCounts, BenchError>
            do { result = .success(try self.attack(settings)) } catch { result = .failure(error as? BenchError ?? BenchError("the attack: \(error)")) }
            outcome.withLock { $0 = result }
        }
        thread.name = "campaign-bench attack"
        thread.start()
    }

    /// The attack has closed its connections and its counts are final.
    var isFinished: Bool { outcome.withLock { $0 != nil } }

    /// Asks the attack to end; the first reason given is the one reported.
    func stop(reason: String) {
        stopReason.withLock { if $0 == nil { $0 = reason } }
        stopRequested.store(true, ordering: .releasing)
    }

    /// The counts, once `isFinished`.
    func counts() throws -> AttackCounts {
        guard let result = outcome.withLock({ $0 }) else { throw BenchError("the attack thread has not finished") }
        return try result.get()
    }

    private func attack(_ settings: AttackSettings) throws -> AttackCounts {
        let loop: ClientLoop
        do { loop = try ClientLoop() } catch { throw BenchError("the attack's event loop: \(error)") }
        guard let attack = settings.makeAttack(loop: loop) else { return AttackCounts() }
        let startedAt = Clock.now()
        attack.start()
        // A wake-up every 50 ms, so a stop request is seen even while no socket has anything to say.
        func tick(_ loop: ClientLoop) {
            loop.schedule(at: Clock.now() + 50_000_000) { [weak loop] in if let loop { tick(loop) } }
        }
        tick(loop)
        loop.run(deadline: settings.deadline) {
            stopRequested.load(ordering: .acquiring) || attack.counts.requestsSent >= settings.maximumRequests
        }
        if attack.counts.requestsSent >= settings.maximumRequests { stop(reason: "--max-requests") }
        attack.stop()
        var counts = attack.counts
        counts.stopReason = stopReason.withLock { $0 } ?? "duration"
        counts.seconds = Double(Clock.now() - startedAt) / 1e9
        return counts
    }
}
