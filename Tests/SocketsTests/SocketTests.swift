import Glibc
import Sockets
import Testing

@Suite struct SocketTests {
    @Test func acceptedConnectionsHaveNagleOffWithoutASetsockoptOfTheirOwn() throws {
        let listener = try Socket.listen(host: "127.0.0.1", port: 0)
        defer { Socket.close(listener) }
        let (client, accepted) = try Self.connectAndAccept(listener)
        defer { Socket.close(client); Socket.close(accepted) }
        #expect(Socket.hasNoDelay(accepted), "inherited from the listening socket")
    }

    @Test func acceptedConnectionsInheritKeepAliveAndTheUserTimeoutFromTheListener() throws {
        let listener = try Socket.listen(host: "127.0.0.1", port: 0)
        defer { Socket.close(listener) }
        Socket.setKeepAlive(listener, .init(idleSeconds: 61, intervalSeconds: 11, probes: 7, userTimeoutSeconds: 121))
        let (client, accepted) = try Self.connectAndAccept(listener)
        defer { Socket.close(client); Socket.close(accepted) }
        let tcp = Int32(IPPROTO_TCP)
        #expect(Socket.integerOption(accepted, level: SOL_SOCKET, option: SO_KEEPALIVE) == 1)
        #expect(Socket.integerOption(accepted, level: tcp, option: TCP_KEEPIDLE) == 61)
        #expect(Socket.integerOption(accepted, level: tcp, option: TCP_KEEPINTVL) == 11)
        #expect(Socket.integerOption(accepted, level: tcp, option: TCP_KEEPCNT) == 7)
        #expect(Socket.integerOption(accepted, level: tcp, option: TCP_USER_TIMEOUT) == 121_000)
        #expect(Socket.peerIPv4Address(accepted).map(Socket.ipv4Text) == "127.0.0.1")
    }

    @Test func aVectoredSendWritesTheChunksInOrderPastTheSkippedBytes() throws {
        var pair: [Int32] = [-1, -1]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
        defer { Socket.close(pair[0]); Socket.close(pair[1]) }
        let chunks: [[UInt8]] = [[1, 2, 3], [], [4, 5], [6]]
        #expect(Socket.send(pair[0], chunks: chunks[...], skippingFirst: 1) == .bytes(5))
        var received = [UInt8](repeating: 0, count: 16)
        let count = read(pair[1], &received, received.count)
        #expect(Array(received.prefix(max(0, count))) == [2, 3, 4, 5, 6])
    }

    @Test func oneVectoredSendTakesAtMostItsChunkLimit() throws {
        var pair: [Int32] = [-1, -1]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
        defer { Socket.close(pair[0]); Socket.close(pair[1]) }
        let chunks = (0..<(Socket.maximumChunksPerSend + 10)).map { [UInt8(truncatingIfNeeded: $0)] }
        #expect(Socket.send(pair[0], chunks: chunks[...], skippingFirst: 0) == .bytes(Socket.maximumChunksPerSend))
    }

    /// A connected pair: the client's socket and the listener's accepted one.
    private static func connectAndAccept(_ listener: Int32) throws -> (client: Int32, accepted: Int32) {
        let client = try Socket.connect(host: "127.0.0.1", port: Socket.localPort(of: listener))
        var accepted: Int32 = -1
        for _ in 0..<1000 where accepted < 0 {
            if case .success(let fd) = Socket.accept(listener) { accepted = fd } else { usleep(1000) }
        }
        if accepted < 0 { Socket.close(client) }
        try #require(accepted >= 0)
        return (client, accepted)
    }
}

/// Descriptors handed to the closer are closed on its thread, and whatever is left at `stop()` too.
@Suite struct DescriptorCloserTests {
    @Test func closesWhatItIsGivenAndTheRestWhenStopped() throws {
        let closer = try DescriptorCloser(name: "test-closer")
        var pairs: [[Int32]] = []
        for _ in 0..<8 {
            var pair: [Int32] = [-1, -1]
            try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
            pairs.append(pair)
        }
        defer { for pair in pairs { Socket.close(pair[1]) } }
        closer.close(pairs.prefix(4).map { $0[0] })
        // The peers of closed descriptors read the end of the stream.
        for pair in pairs.prefix(4) {
            var byte: UInt8 = 0
            #expect(read(pair[1], &byte, 1) == 0)
        }
        // The count drops just after each close: wait for the last one (10 s at most).
        for _ in 0..<10_000 where closer.pendingCount > 0 { usleep(1000) }
        #expect(closer.pendingCount == 0)
        closer.stop()
        // After the stop, descriptors are closed at once by the caller's thread.
        closer.close(pairs.suffix(4).map { $0[0] })
        for pair in pairs.suffix(4) {
            var byte: UInt8 = 0
            #expect(read(pair[1], &byte, 1) == 0)
        }
        closer.stop()
    }
}
