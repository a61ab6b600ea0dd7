import Glibc
import Sockets
import Testing

@Suite struct SocketTests {
    @Test func acceptedConnectionsHaveNagleOffWithoutASetsockoptOfTheirOwn() throws {
        let listener = try Socket.listen(host: "127.0.0.1", port: 0)
        defer { Socket.close(listener) }
        let client = try Socket.connect(host: "127.0.0.1", port: Socket.localPort(of: listener))
        defer { Socket.close(client) }
        var accepted: Int32 = -1
        for _ in 0..<1000 where accepted < 0 {
            if case .success(let fd) = Socket.accept(listener) { accepted = fd } else { usleep(1000) }
        }
        try #require(accepted >= 0)
        defer { Socket.close(accepted) }
        #expect(Socket.hasNoDelay(accepted), "inherited from the listening socket")
    }
}
