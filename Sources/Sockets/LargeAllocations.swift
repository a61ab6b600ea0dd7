import CLinux
import Glibc

/// Where glibc's malloc puts large buffers (a resumed stream's replay, a snapshot, a request body).
///
/// By default glibc maps a block of 128 KiB or more on its own and unmaps it when freed, but the first
/// such free raises that threshold to the freed size (up to 32 MiB), and from then on those buffers come
/// from the heaps of the threads that allocate them. Freed there, they are kept and fragment the heaps:
/// in 20 s storms of resumes each replaying 240 KB, the server's RSS grew by 33–73 MiB in three runs of
/// ten, and by 5.8–22.8 MiB in all fifteen runs with the threshold fixed at 128 KiB. Fixing it costs a
/// `mmap` and a `munmap` per large buffer (microseconds, against the milliseconds such a buffer takes to
/// fill and send).
public enum LargeAllocations {
    /// The size from which a block is mapped on its own and returned to the system when freed.
    public static let mappedFromBytes: Int32 = 128 * 1024

    /// Fixes the threshold at `mappedFromBytes`, unless the environment sets `MALLOC_MMAP_THRESHOLD_`
    /// (the operator's choice wins). Call once, early; returns whether the threshold was set here.
    @discardableResult
    public static func returnToTheSystemWhenFreed() -> Bool {
        guard getenv("MALLOC_MMAP_THRESHOLD_") == nil else { return false }
        return mallopt(M_MMAP_THRESHOLD, mappedFromBytes) == 1
    }
}
