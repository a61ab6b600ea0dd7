import Glibc
import Testing
@testable import Sockets

/// Large buffers go back to the system when freed, however many were freed before.
@Suite struct LargeAllocationsTests {
    /// glibc marks a block it mapped on its own with bit 1 (IS_MMAPPED) of the size word just before it.
    private static func isMapped(_ block: UnsafeMutableRawPointer) -> Bool {
        (block - MemoryLayout<UInt>.size).load(as: UInt.self) & 2 != 0
    }

    @Test func aLargeBlockIsStillMappedAfterOneWasFreed() throws {
        #expect(LargeAllocations.returnToTheSystemWhenFreed())
        let size = 512 * 1024
        // Without the fixed threshold, this free would raise it above `size`, and the next block of
        // that size would come from a heap, where freeing it keeps its pages.
        free(malloc(size))
        let block = try #require(malloc(size))
        defer { free(block) }
        #expect(Self.isMapped(block))
        let small = try #require(malloc(Int(LargeAllocations.mappedFromBytes) / 2))
        defer { free(small) }
        #expect(!Self.isMapped(small))
    }
}
