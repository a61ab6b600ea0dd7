@testable import HTTP
import Synchronization
import Testing

@Suite struct CloseHandlersTests {
    @Test func everyHandlerRunsOnceInTheOrderAdded() {
        let calls = Mutex<[String]>([])
        var handlers = CloseHandlers()
        for name in ["room", "slot", "metrics"] {
            handlers.append { reason in calls.withLock { $0.append("\(name):\(reason.rawValue)") } }
        }
        handlers.call(.clientClosed)
        #expect(calls.withLock { $0 } == ["room:client-closed", "slot:client-closed", "metrics:client-closed"])
    }

    @Test func noHandlersIsNothingToRun() {
        CloseHandlers().call(.serverShutdown)
    }
}
