import Glibc
@testable import HTTP
import Testing
import TestSupport

/// A connection refused for its address's limits is held open and unread before it is closed, so a
/// reconnect storm's clients wait instead of coming straight back (issue 12); the hold shows in the
/// server's own counter and gives way to admitted connections.
@Suite struct RefusalHoldTests {
    /// One open connection per address, so that the second is refused however slowly the machine runs
    /// (a rate would refill between the two on a busy one), and refusals held `holdMilliseconds` on average.
    private func onePerAddress(
        holdMilliseconds: Int, tickMilliseconds: Int? = nil, maximumConnections: Int? = nil
    ) -> HTTPServer.Configuration {
        var configuration = serverDefaults()
        configuration.maximumConnectionsPerAddress = 1
        configuration.refusalHoldMilliseconds = holdMilliseconds
        if let tickMilliseconds { configuration.tickIntervalMilliseconds = tickMilliseconds }
        if let maximumConnections { configuration.maximumConnections = maximumConnections }
        return configuration
    }

    @Test func aRefusedConnectionIsHeldThenClosedUnanswered() async throws {
        try await withServer(onePerAddress(holdMilliseconds: 1000), handler: echoHandler) { server in
            let admitted = try await servedClient(server, from: "127.0.0.2", path: "/first")
            let refused = try RawHTTPClient(port: server.port, sourceAddress: "127.0.0.2")
            try await refused.send("GET /second HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(await eventually(timeoutSeconds: 10) { server.statistics.heldRefusals == 1 })
            #expect(server.statistics.connectionsRefusedPerAddress == 1)
            // The hold ends with the connection closed, its request never read or answered.
            #expect(try await refused.waitForClose())
            #expect(refused.unconsumed.isEmpty)
            #expect(await eventually(timeoutSeconds: 10) { server.statistics.heldRefusals == 0 })
            #expect(server.statistics.acceptedConnections == 1)

            // Another address is served meanwhile and after.
            _ = try await servedClient(server, from: "127.0.0.3", path: "/neighbour")
            withExtendedLifetime(admitted) {}
        }
    }

    /// Released by the loop's timer at the end of its own hold, not by the next tick with every other
    /// hold that ended meanwhile (a storm's clients would come back together). With a one-minute
    /// tick, a hold of about 100 ms still ends in well under a minute.
    @Test func aHoldEndsOnItsOwnTimeNotOnTheTick() async throws {
        try await withServer(onePerAddress(holdMilliseconds: 100, tickMilliseconds: 60_000), handler: echoHandler) { server in
            let admitted = try await servedClient(server, from: "127.0.0.2")
            for attempt in 1...3 {
                let refused = try RawHTTPClient(port: server.port, sourceAddress: "127.0.0.2")
                refused.setTimeout(seconds: 10)
                // Closed, not answered: the hold ended (a refusal that finds no room is closed at once,
                // but these find the room empty).
                #expect(try await refused.waitForClose())
                #expect(refused.unconsumed.isEmpty)
                #expect(server.statistics.connectionsRefusedPerAddress == attempt)
            }
            #expect(server.statistics.acceptedConnections == 1)
            withExtendedLifetime(admitted) {}
        }
    }

    @Test func heldRefusalsGiveWayToAnAdmittedConnection() async throws {
        try await withServer(onePerAddress(holdMilliseconds: 60_000, maximumConnections: 3), handler: echoHandler) { server in
            let first = try await servedClient(server, from: "127.0.0.2")
            // Two more from the same address: refused and held (1 open + 2 held = the maximum of 3).
            let refused = try (0..<2).map { _ in try RawHTTPClient(port: server.port, sourceAddress: "127.0.0.2") }
            #expect(await eventually(timeoutSeconds: 10) { server.statistics.heldRefusals == 2 })
            // A third refusal finds no room: closed at once, not held.
            let third = try RawHTTPClient(port: server.port, sourceAddress: "127.0.0.2")
            #expect(try await third.waitForClose())
            #expect(server.statistics.heldRefusals == 2)
            #expect(server.statistics.connectionsRefusedPerAddress == 3)
            // An admitted connection from elsewhere takes the oldest hold's descriptor.
            let neighbour = try await servedClient(server, from: "127.0.0.3")
            #expect(server.statistics.heldRefusals == 1)
            // The one of the two whose hold would have ended first is closed; the other (held 30 s at least) is not.
            var closed = 0
            for client in refused {
                client.setTimeout(seconds: 3)
                if try await client.waitForClose() { closed += 1 }
            }
            #expect(closed == 1)
            withExtendedLifetime((first, neighbour)) {}
        }
    }

    @Test func theHoldKeepsCapacityAndExpiry() {
        var hold = RefusalHold(capacity: 2)
        let held = [hold.hold(10, now: 0, for: 1000), hold.hold(11, now: 500, for: 100), hold.hold(12, now: 500, for: 100)]
        #expect(held == [true, true, false])
        #expect(hold.nextRelease == 600)
        let early = hold.takeExpired(now: 599)
        #expect(early.isEmpty)
        // Each hold ends on its own time, not in the order they began.
        let expired = hold.takeExpired(now: 600)
        #expect(expired == [11])
        #expect(hold.nextRelease == 1000)
        let heldAgain = hold.hold(13, now: 600, for: 2000)
        #expect(heldAgain)
        // The one whose hold ends first gives way first.
        let oldest = hold.takeOldest()
        #expect(oldest == 10)
        #expect(hold.count == 1)
        let rest = hold.takeAll()
        #expect(rest == [13])
        let nothing = hold.takeOldest()
        #expect(hold.count == 0 && nothing == nil)
        // Nothing is held for 0 ms: the caller closes at once.
        let heldForNothing = hold.hold(1, now: 0, for: 0)
        #expect(!heldForNothing)
    }

    @Test func theHoldStaysBoundedUnderATurnover() {
        var hold = RefusalHold(capacity: 100)
        var closed: [Int32] = []
        for fd in Int32(0)..<10_000 {
            let held = hold.hold(fd, now: UInt64(fd), for: 10)
            #expect(held)
            closed += hold.takeExpired(now: UInt64(fd))
            #expect(hold.count <= 11)
        }
        closed += hold.takeAll()
        #expect(closed == Array(0..<10_000))
    }
}
