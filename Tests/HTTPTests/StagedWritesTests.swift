@testable import HTTP
import Testing

@Suite struct StagedWritesTests {
    @Test func oneWriteIsKeptAsItIs() {
        var staged = StagedWrites()
        let first = staged.add([1, 2, 3])
        #expect(first)
        let (bytes, count) = staged.take()
        #expect(bytes == [1, 2, 3])
        #expect(count == 1)
    }

    @Test func laterWritesAreJoinedInOrderAndTakingEmptiesIt() {
        var staged = StagedWrites()
        let firsts = [staged.add([1]), staged.add([2, 3]), staged.add([4])]
        #expect(firsts == [true, false, false])
        let (bytes, count) = staged.take()
        #expect(bytes == [1, 2, 3, 4])
        #expect(count == 3)
        let (after, none) = staged.take()
        #expect(after.isEmpty && none == 0)
        let firstAgain = staged.add([9])
        #expect(firstAgain)
    }

    @Test func joiningDoesNotChangeTheSharedBuffer() {
        let shared: [UInt8] = [1, 2]
        var staged = StagedWrites()
        _ = staged.add(shared)
        _ = staged.add([3])
        let joined = staged.take().bytes
        #expect(joined == [1, 2, 3])
        #expect(shared == [1, 2])
    }
}
