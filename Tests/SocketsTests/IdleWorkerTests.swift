import Glibc
import Synchronization
import Testing
@testable import Sockets

@Suite struct IdleWorkerTests {
    /// SCHED_IDLE, which glibc declares only under _GNU_SOURCE.
    private static let schedIdle: Int32 = 5

    struct Refused: Error, Equatable {}

    @Test func runsWorkInOrderOnAThreadAtIdlePriority() async throws {
        let worker = try IdleWorker(name: "test-idle")
        defer { worker.stop() }
        #expect(await worker.run { sched_getscheduler(0) } == Self.schedIdle)
        let order = Mutex<[Int]>([])
        for value in 0..<100 { worker.submit { order.withLock { $0.append(value) } } }
        _ = await worker.run { 0 }  // runs after everything submitted before it
        #expect(order.withLock { $0 } == Array(0..<100))
        await #expect(throws: Refused()) { try await worker.run { () throws(Refused) -> Int in throw Refused() } }
    }

    @Test func afterStopNothingIsTakenAndRunDoesTheWorkOnTheCaller() async throws {
        let worker = try IdleWorker(name: "test-idle")
        let ran = Atomic<Bool>(false)
        worker.submit { usleep(20_000); ran.store(true, ordering: .relaxed) }
        worker.stop()
        let ranBeforeStopReturned = ran.load(ordering: .relaxed)
        #expect(ranBeforeStopReturned, "stop runs what was waiting")
        #expect(!worker.submit {})
        #expect(await worker.run { sched_getscheduler(0) } != Self.schedIdle)
        worker.stop()
    }
}
