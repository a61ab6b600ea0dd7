import Glibc
@testable import HTTP
import Testing

@Suite struct StagedWritesTests {
    @Test func oneWriteIsKeptAsItIs() {
        var staged = StagedWrites()
        let first = staged.add([1, 2, 3])
        #expect(first)
        let (bytes, more, count) = staged.take()
        #expect(bytes == [1, 2, 3])
        #expect(more.isEmpty)
        #expect(count == 1)
    }

    @Test func laterWritesFollowInOrderAndTakingEmptiesIt() {
        var staged = StagedWrites()
        let firsts = [staged.add([1]), staged.add([2, 3]), staged.add([4])]
        #expect(firsts == [true, false, false])
        #expect(staged.byteCount == 4)
        let (bytes, more, count) = staged.take()
        #expect(bytes == [1])
        #expect(more == [[2, 3], [4]])
        #expect(count == 3)
        let (after, none, zero) = staged.take()
        #expect(after.isEmpty && none.isEmpty && zero == 0)
        #expect(staged.byteCount == 0)
        let firstAgain = staged.add([9])
        #expect(firstAgain)
    }
}

/// The queue of a socket that takes less than it is given: every byte leaves once, in order, however
/// the vectored sends cut the chunks.
@Suite struct OutboundBufferTests {
    @Test func partialVectoredSendsDeliverEveryByteInOrder() throws {
        var pair: [Int32] = [-1, -1]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
        defer { close(pair[0]); close(pair[1]) }
        var small: Int32 = 4096
        setsockopt(pair[0], SOL_SOCKET, SO_SNDBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        _ = fcntl(pair[0], F_SETFL, fcntl(pair[0], F_GETFL) | O_NONBLOCK)
        _ = fcntl(pair[1], F_SETFL, fcntl(pair[1], F_GETFL) | O_NONBLOCK)

        var expected: [UInt8] = []
        var buffer = OutboundBuffer()
        // Chunks of uneven sizes, 200 of them: more than one send's chunk limit, and a socket buffer
        // far smaller than the whole, so sends stop inside chunks.
        for index in 0..<200 {
            let chunk = (0..<(37 + index * 13 % 900)).map { UInt8(truncatingIfNeeded: $0 &+ index) }
            expected += chunk
            buffer.append(chunk)
        }
        var received: [UInt8] = []
        var scratch = [UInt8](repeating: 0, count: 65536)
        var rounds = 0
        while received.count < expected.count && rounds < 100_000 {
            rounds += 1
            let before = buffer.count
            let (sent, outcome) = buffer.flush(to: pair[0])
            #expect(outcome != .failed)
            #expect(buffer.count == before - sent)
            let count = read(pair[1], &scratch, scratch.count)
            if count > 0 { received += scratch.prefix(count) }
        }
        #expect(received == expected)
        #expect(buffer.isEmpty)
    }
}
