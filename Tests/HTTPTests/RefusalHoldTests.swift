import Glibc
@testable import HTTP
import Testing
import TestSupport

/// A connection refused for its address's limits is held open and unread before it is closed, so a
/// reconnect storm's clients wait instead of coming straight back (issue 12); the hold shows in the
/// server's own counter and gives way to admitted connections.
@Suite struct RefusalHoldTests {
    @Test func aRefusedConnectionIsHeldThenClosedUnanswered() async throws {
        var configuration = serverDefaults()
        configuration.connectionRatePerAddress = 1
        configuration.connectionBurstPerAddress = 1
        configuration.refusalHoldMilliseconds = 1000
        try await withServer(configuration, handler: echoHandler) { server in
            let admitted = try RawHTTPClient(port: server.port, sourceAddress: "127.0.0.2")
            try await admitted.send("GET /first HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await admitted.readResponse().status == 200)

            let refused = try RawHTTPClient(port: server.port, sourceAddress: "127.0.0.2")
            try await refused.send("GET /second HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(await eventually(timeoutSeconds: 10) { server.statistics.heldRefusals == 1 })
            #expect(server.statistics.connectionsRefusedByRate == 1)
            // The hold ends with the connection closed, its request never read or answered.
            #expect(try await refused.waitForClose())
            #expect(refused.unconsumed.isEmpty)
            #expect(await eventually(timeoutSeconds: 10) { server.statistics.heldRefusals == 0 })
            #expect(server.statistics.acceptedConnections == 1)

            // Another address is served meanwhile and after.
            let neighbour = try RawHTTPClient(port: server.port, sourceAddress: "127.0.0.3")
            try await neighbour.send("GET /neighbour HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await neighbour.readResponse().status == 200)
        }
    }

    @Test func heldRefusalsGiveWayToAnAdmittedConnection() async throws {
        var configuration = serverDefaults()
        configuration.maximumConnections = 3
        configuration.maximumConnectionsPerAddress = 1
        configuration.refusalHoldMilliseconds = 60_000
        try await withServer(configuration, handler: echoHandler) { server in
            let first = try RawHTTPClient(port: server.port, sourceAddress: "127.0.0.2")
            try await first.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await first.readResponse().status == 200)
            // Two more from the same address: refused and held (1 open + 2 held = the maximum of 3).
            let refused = try (0..<2).map { _ in try RawHTTPClient(port: server.port, sourceAddress: "127.0.0.2") }
            #expect(await eventually(timeoutSeconds: 10) { server.statistics.heldRefusals == 2 })
            // A third refusal finds no room: closed at once, not held.
            let third = try RawHTTPClient(port: server.port, sourceAddress: "127.0.0.2")
            #expect(try await third.waitForClose())
            #expect(server.statistics.heldRefusals == 2)
            #expect(server.statistics.connectionsRefusedPerAddress == 3)
            // An admitted connection from elsewhere takes the oldest hold's descriptor.
            let neighbour = try RawHTTPClient(port: server.port, sourceAddress: "127.0.0.3")
            try await neighbour.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await neighbour.readResponse().status == 200)
            #expect(server.statistics.heldRefusals == 1)
            #expect(try await refused[0].waitForClose())
            _ = refused
        }
    }

    @Test func theHoldKeepsOrderCapacityAndExpiry() {
        var hold = RefusalHold(capacity: 2, holdMilliseconds: 1000)
        let held = [hold.hold(10, now: 0), hold.hold(11, now: 500), hold.hold(12, now: 500)]
        #expect(held == [true, true, false])
        let early = hold.takeExpired(now: 999)
        #expect(early.isEmpty)
        let expired = hold.takeExpired(now: 1000)
        #expect(expired == [10])
        let none = hold.takeExpired(now: 5000, limit: 0)
        #expect(none.isEmpty && hold.count == 1)
        let heldAgain = hold.hold(13, now: 1000)
        #expect(heldAgain)
        let oldest = hold.takeOldest()
        #expect(oldest == 11)
        #expect(hold.count == 1)
        let rest = hold.takeAll()
        #expect(rest == [13])
        let nothing = hold.takeOldest()
        #expect(hold.count == 0 && nothing == nil)
        // Nothing is held at a hold of 0: the caller closes at once.
        var closesAtOnce = RefusalHold(capacity: 10, holdMilliseconds: 0)
        let heldAtZero = closesAtOnce.hold(1, now: 0)
        #expect(!heldAtZero)
    }

    @Test func theHoldStaysCompactUnderATurnover() {
        var hold = RefusalHold(capacity: 100, holdMilliseconds: 10)
        var closed: [Int32] = []
        for fd in Int32(0)..<10_000 {
            let held = hold.hold(fd, now: UInt64(fd))
            #expect(held)
            closed += hold.takeExpired(now: UInt64(fd))
            #expect(hold.count <= 11)
        }
        closed += hold.takeAll()
        #expect(closed == Array(0..<10_000))
    }
}
