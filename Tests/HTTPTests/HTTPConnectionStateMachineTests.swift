@testable import HTTP
import Testing

/// The connection's protocol logic on its own: events in, actions out, no socket and no clock.
@Suite struct HTTPConnectionStateMachineTests {
    typealias Machine = HTTPConnectionStateMachine
    /// The server's defaults, with small buffers so the limits are reached quickly.
    let configuration: HTTPServer.Configuration = {
        var configuration = serverDefaults()
        configuration.headerTimeoutSeconds = 10
        configuration.idleTimeoutSeconds = 60
        configuration.bodyTimeoutSeconds = 30
        configuration.streamBufferLimitBytes = 1000
        configuration.unsentResponseLimitBytes = 500
        configuration.sendTimeoutSeconds = 30
        return configuration
    }()

    /// A machine that has taken a request and is handling it.
    func handling(at now: UInt64 = 0) -> Machine {
        var machine = Machine(now: now)
        #expect(machine.readable(hangUp: false) == .readRequests)
        machine.requestStarted(now: now)
        return machine
    }

    /// A machine handling a request whose answer is written: the socket took `sent` of its `answered` bytes.
    func answering(answered: Int = 10, sent: Int = 10) -> Machine {
        var machine = handling()
        _ = machine.write(byteCount: answered, now: 0)
        _ = machine.flushed(sentBytes: sent, sent == answered ? .done : .pending, unsentResponseLimit: 500, now: 0)
        return machine
    }

    /// A machine that answered one request and now waits for the next.
    func keptAlive(answered: Int = 10, sent: Int = 10) -> Machine {
        var machine = answering(answered: answered, sent: sent)
        _ = machine.exchangeFinished(keepAlive: true, hasBufferedInput: false, unsentResponseLimit: 500, now: 0)
        return machine
    }

    @Test func aThrottledConnectionReadsNothingAndNeverTimesOutUntilItsBudgetRefills() {
        var machine = Machine(now: 0)
        machine.throttled(now: 0)
        #expect(machine.phase == .throttled)
        #expect(machine.readable(hangUp: false) == .none)
        #expect(machine.readableWhileHandling)
        // Far past the header and idle timeouts: the wait is the server's, not the client's.
        #expect(machine.tick(now: 3_600_000, configuration: configuration) == .none)
        let refilled = machine.budgetRefilled(now: 3_600_000)
        #expect(refilled)
        #expect(machine.phase == .awaitingRequest)
        let refilledAgain = machine.budgetRefilled(now: 3_600_000)
        #expect(!refilledAgain)
        // The idle clock starts again at the refill.
        #expect(machine.tick(now: 3_600_000 + 5_000, configuration: configuration) == .none)
    }

    @Test func onlyAConnectionBetweenRequestsIsThrottled() {
        var machine = handling()
        machine.throttled(now: 0)
        #expect(machine.phase == .handling)
    }

    @Test func aKeptAliveExchangeWaitsForTheNextRequest() {
        var machine = handling()
        #expect(machine.write(byteCount: 100, now: 1) == .queue(flush: true))
        #expect(machine.flushed(sentBytes: 100, .done, unsentResponseLimit: 500, now: 1) == .none)
        #expect(machine.exchangeFinished(keepAlive: true, hasBufferedInput: false, unsentResponseLimit: 500, now: 2) == .none)
        #expect(machine.phase == .awaitingRequest)
        #expect(machine.phaseSince == 2)
        #expect(machine.unsentBytes == 0)
    }

    @Test func pipelinedBytesAreTakenAfterTheAnswer() {
        var machine = answering()
        #expect(machine.exchangeFinished(keepAlive: true, hasBufferedInput: true, unsentResponseLimit: 500, now: 1) == .takeNextRequest)
    }

    @Test func readinessDuringHandlingIsRememberedAndNotRead() {
        var machine = handling()
        #expect(machine.readable(hangUp: false) == .none)
        #expect(machine.readableWhileHandling)
        #expect(machine.exchangeFinished(keepAlive: true, hasBufferedInput: false, unsentResponseLimit: 500, now: 1) == .takeNextRequest)
        #expect(machine.readable(hangUp: false) == .readRequests)
        #expect(!machine.readableWhileHandling)
    }

    @Test func aHangUpDuringHandlingEndsTheConnectionAfterTheAnswer() {
        var machine = handling()
        #expect(machine.readable(hangUp: true) == .none, "the answer still goes out")
        #expect(machine.exchangeFinished(keepAlive: true, hasBufferedInput: false, unsentResponseLimit: 500, now: 1) == .takeNextRequest)
        #expect(machine.needsMoreInput(.betweenRequests, moreMayBeWaiting: false, now: 1) == .close(.clientClosed))
    }

    @Test func aHangUpWhileWaitingClosesAtOnce() {
        var machine = Machine(now: 0)
        #expect(machine.readable(hangUp: true) == .close(.clientClosed))
    }

    @Test func anUnfinishedRequestTracksItsPhaseAndReadsAgainWhenBytesWereLeft() {
        var machine = Machine(now: 0)
        #expect(machine.needsMoreInput(.inHead, moreMayBeWaiting: false, now: 5) == .none)
        #expect(machine.phase == .readingHead)
        #expect(machine.phaseSince == 5)
        #expect(machine.needsMoreInput(.inBody, moreMayBeWaiting: true, now: 7) == .readAgain)
        #expect(machine.phase == .readingBody)
        machine.inputEnded()
        #expect(machine.needsMoreInput(.inBody, moreMayBeWaiting: false, now: 8) == .close(.clientClosed))
    }

    @Test func unreadAnswersPastTheLimitHoldBackTheNextRequestUntilTaken() {
        var machine = handling()
        _ = machine.write(byteCount: 800, now: 0)
        #expect(machine.flushed(sentBytes: 100, .pending, unsentResponseLimit: 500, now: 0) == .none)
        #expect(machine.exchangeFinished(keepAlive: true, hasBufferedInput: true, unsentResponseLimit: 500, now: 1) == .backpressure)
        #expect(machine.phase == .backpressured)
        #expect(machine.readable(hangUp: false) == .none)
        #expect(machine.writable() == .flush)
        #expect(machine.flushed(sentBytes: 100, .pending, unsentResponseLimit: 500, now: 2) == .none, "600 still unsent")
        #expect(machine.phase == .backpressured)
        #expect(machine.flushed(sentBytes: 200, .pending, unsentResponseLimit: 500, now: 3) == .takeNextRequest)
        #expect(machine.phase == .awaitingRequest)
    }

    @Test func aStreamHoldsItsHeadUntilItsFirstBytes() {
        var machine = handling()
        let started = machine.streamStarted(headBytes: 120, now: 1)
        #expect(started)
        #expect(machine.phase == .streaming)
        #expect(machine.unsentBytes == 120)
        #expect(machine.write(byteCount: 50, now: 2) == .queue(flush: true))
        #expect(machine.flushed(sentBytes: 170, .done, unsentResponseLimit: 500, now: 2) == .none)
        #expect(machine.checkStreamBound(1000) == nil)
    }

    @Test func aStreamPastItsBoundIsClosedButBytesTheSocketTookNeverCount() {
        var machine = handling()
        _ = machine.streamStarted(headBytes: 0, now: 0)
        _ = machine.write(byteCount: 5000, now: 1)
        _ = machine.flushed(sentBytes: 5000, .done, unsentResponseLimit: 500, now: 1)
        #expect(machine.checkStreamBound(1000) == nil, "a big write the socket took whole is no overflow")
        _ = machine.write(byteCount: 900, now: 2)
        _ = machine.flushed(sentBytes: 0, .pending, unsentResponseLimit: 500, now: 2)
        #expect(machine.checkStreamBound(1000) == nil)
        #expect(machine.write(byteCount: 200, now: 3) == .queue(flush: false), "a full socket is not tried again")
        #expect(machine.checkStreamBound(1000) == .bufferOverflow)
        #expect(machine.write(byteCount: 1, now: 4) == .refuse)
    }

    @Test func closingAStreamFlushesItsHeldBackHeadThenLingers() {
        var machine = handling()
        _ = machine.streamStarted(headBytes: 120, now: 0)
        #expect(machine.closeWhenFlushed(.closedByServer) == .flush)
        #expect(!machine.acceptsWrites)
        #expect(machine.flushed(sentBytes: 120, .done, unsentResponseLimit: 500, now: 1) == .finish)
        #expect(machine.finishing(now: 1) == .halfCloseAndLinger)
        #expect(machine.phase == .lingering)
        #expect(machine.readable(hangUp: false) == .drain)
        #expect(machine.drainEndedReason() == .closedByServer)
        #expect(machine.finishing(now: 2) == .none, "lingering once")
    }

    @Test func aFullSocketFinishesOnWritability() {
        var machine = handling()
        _ = machine.streamStarted(headBytes: 0, now: 0)
        _ = machine.write(byteCount: 300, now: 0)
        _ = machine.flushed(sentBytes: 100, .pending, unsentResponseLimit: 500, now: 0)
        #expect(machine.closeWhenFlushed(.serverShutdown) == .none)
        #expect(machine.writable() == .flush)
        #expect(machine.flushed(sentBytes: 200, .done, unsentResponseLimit: 500, now: 1) == .finish)
    }

    @Test func closingForOverflowOrAVanishedClientSkipsTheLinger() {
        for reason in [StreamCloseReason.bufferOverflow, .clientClosed, .sendTimeout] {
            var machine = handling()
            #expect(machine.closeWhenFlushed(reason) == .finish)
            #expect(machine.finishing(now: 1) == .close(reason))
        }
    }

    @Test func aNotKeptAliveAnswerEndsTheConnectionOnceSent() {
        var machine = answering()
        #expect(machine.exchangeFinished(keepAlive: false, hasBufferedInput: false, unsentResponseLimit: 500, now: 1) == .finish)
    }

    @Test func aFailedSendClosesAndRefusesMoreBytes() {
        var machine = handling()
        _ = machine.write(byteCount: 10, now: 0)
        #expect(machine.flushed(sentBytes: 0, .failed, unsentResponseLimit: 500, now: 0) == .close(.clientClosed))
        #expect(machine.write(byteCount: 10, now: 1) == .refuse)
    }

    @Test func closingTwiceReportsOnce() {
        var machine = handling()
        _ = machine.streamStarted(headBytes: 40, now: 0)
        let first = machine.closed(.clientClosed)
        #expect(first?.wasStream == true)
        #expect(first?.droppedBytes == 40)
        #expect(machine.closed(.serverShutdown) == nil)
        #expect(machine.closeReason == .clientClosed)
        #expect(machine.readable(hangUp: false) == .none)
        #expect(machine.writable() == .none)
        let startedAfterClose = machine.streamStarted(headBytes: 1, now: 1)
        #expect(!startedAfterClose)
    }

    @Test func nothingReopensAClosedConnection() {
        var machine = handling()
        _ = machine.closed(.clientClosed)
        machine.requestStarted(now: 1)
        #expect(machine.needsMoreInput(.inBody, moreMayBeWaiting: true, now: 2) == .none)
        #expect(machine.phase == .closed)
        #expect(machine.write(byteCount: 10, now: 3) == .refuse, "its descriptor may belong to another socket by now")
        #expect(machine.exchangeFinished(keepAlive: true, hasBufferedInput: true, unsentResponseLimit: 500, now: 4) == .none)
        #expect(machine.tick(now: 1_000_000, configuration: configuration) == .none)
    }

    @Test func aSilentNewConnectionTimesOutAfterTheHeaderTimeout() {
        var machine = Machine(now: 0)
        #expect(machine.tick(now: 10_000, configuration: configuration) == .none)
        #expect(machine.tick(now: 10_001, configuration: configuration) == .timedOut)
    }

    @Test func anIdleKeptAliveConnectionTimesOutAfterTheIdleTimeout() {
        var machine = keptAlive()
        #expect(machine.tick(now: 20_000, configuration: configuration) == .none)
        #expect(machine.tick(now: 60_001, configuration: configuration) == .timedOut)
    }

    @Test func aSlowHeadIsAnsweredWith408OnlyBeforeAnyResponse() {
        var machine = Machine(now: 0)
        _ = machine.needsMoreInput(.inHead, moreMayBeWaiting: false, now: 0)
        #expect(machine.tick(now: 10_001, configuration: configuration) == .answerTimedOut)
        #expect(machine.phase == .handling)

        var answered = keptAlive()
        _ = answered.needsMoreInput(.inHead, moreMayBeWaiting: false, now: 0)
        #expect(answered.tick(now: 10_001, configuration: configuration) == .timedOut)
    }

    @Test func aSlowBodyIsAnsweredWith408() {
        var machine = Machine(now: 0)
        _ = machine.needsMoreInput(.inBody, moreMayBeWaiting: false, now: 0)
        #expect(machine.tick(now: 30_000, configuration: configuration) == .none)
        #expect(machine.tick(now: 30_001, configuration: configuration) == .answerTimedOut)
    }

    @Test func unsentAnswersKeepAConnectionFromIdlingButNotPastTheSendTimeout() {
        var machine = keptAlive(answered: 100, sent: 0)
        #expect(machine.tick(now: 29_000, configuration: configuration) == .none)
        _ = machine.flushed(sentBytes: 10, .pending, unsentResponseLimit: 500, now: 29_000)
        #expect(machine.tick(now: 59_000, configuration: configuration) == .none, "progress restarts the send clock")
        #expect(machine.tick(now: 59_001, configuration: configuration) == .sendTimedOut)
    }

    @Test func lingeringEndsAfterTheLingerTime() {
        var machine = handling()
        _ = machine.closeWhenFlushed(.closedByServer)
        _ = machine.finishing(now: 100)
        #expect(machine.tick(now: 100 + HTTPServer.lingerMilliseconds, configuration: configuration) == .none)
        #expect(machine.tick(now: 101 + HTTPServer.lingerMilliseconds, configuration: configuration) == .close(.closedByServer))
    }
}
