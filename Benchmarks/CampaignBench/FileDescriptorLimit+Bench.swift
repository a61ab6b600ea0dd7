import Sockets

extension FileDescriptorLimit {
    /// Makes sure `needed` descriptors can be open, raising the soft limit up to the hard one if that is enough.
    static func ensure(_ needed: Int, purpose: String) throws {
        guard let limits = raise(to: UInt64(needed)) else { return }
        if limits.soft >= UInt64(needed) { return }
        throw BenchError("""
            \(purpose) need \(needed) open files but `ulimit -n` is \(limits.soft) (hard limit \(limits.hard)): \
            run `ulimit -n \(needed)` (raising the hard limit needs root) and try again
            """)
    }
}
