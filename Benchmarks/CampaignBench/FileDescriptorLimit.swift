import CLinux
import Glibc

/// The process's open-file limit: every client connection is one descriptor.
enum FileDescriptorLimit {
    /// RLIM_INFINITY is a macro of `-1` that Swift cannot import as an unsigned value.
    private static let unlimited = rlim_t.max

    /// Makes sure `needed` descriptors can be open, raising the soft limit up to the hard one if that is enough.
    static func ensure(_ needed: Int, purpose: String) throws {
        var limit = rlimit()
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        guard getrlimit(resource, &limit) == 0 else { return }
        if limit.rlim_cur == unlimited || limit.rlim_cur >= rlim_t(needed) { return }
        if limit.rlim_max == unlimited || limit.rlim_max >= rlim_t(needed) {
            limit.rlim_cur = limit.rlim_max == unlimited ? rlim_t(needed) : limit.rlim_max
            if setrlimit(resource, &limit) == 0 { return }
        }
        throw BenchError("""
            \(purpose) need \(needed) open files but `ulimit -n` is \(limit.rlim_cur) (hard limit \(limit.rlim_max)): \
            run `ulimit -n \(needed)` (raising the hard limit needs root) and try again
            """)
    }
}
