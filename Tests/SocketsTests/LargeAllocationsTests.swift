import Glibc
import Testing
@testable import Sockets

/// Large buffers go back to the system when freed, however many were freed before.
@Suite struct LargeAllocationsTests {
    /// glibc marks a block it mapped on its own with bit 1 (IS_MMAPPED) of the size word just before it.
    private static func isMapped(_ block: UnsafeMutableRawPointer) -> Bool {
        (block - MemoryLayout<UInt>.size).load(as: UInt.self) & 2 != 0
    }

    @Test func largeBlocksAreStillMappedAfterALargerOneWasFreed() throws {
        #expect(LargeAllocations.returnToTheSystemWhenFreed())
        // Without the fixed threshold, this free raises it above the blocks below, and from then on
        // blocks of their size come from a heap, where freeing one keeps its pages.
        free(malloc(8 << 20))
        // Other tests run in this process at the same time, and a block may be carved from a hole
        // their frees left in a heap: the threshold only decides blocks that a heap cannot hold
        // already. Four blocks of 4 MiB live at once cannot all fit in such holes, so at least one
        // shows what the threshold decides.
        let blocks = try (0..<4).map { _ in try #require(malloc(4 << 20)) }
        defer { blocks.forEach { free($0) } }
        #expect(blocks.contains(where: Self.isMapped))
        let small = try #require(malloc(Int(LargeAllocations.mappedFromBytes) / 2))
        defer { free(small) }
        #expect(!Self.isMapped(small))
    }
}
