import CLinux
import Glibc

/// The process's open-file limit (`ulimit -n`): every client connection is one descriptor. Many systems
/// start processes with a soft limit of 1,024 and a much higher hard one; a server or a load generator
/// should take what it may have.
public enum FileDescriptorLimit {
    /// The soft and hard limits; `UInt64.max` means unlimited.
    public struct Limits: Equatable, Sendable {
        public var soft: UInt64
        public var hard: UInt64

        public init(soft: UInt64, hard: UInt64) {
            self.soft = soft
            self.hard = hard
        }
    }

    /// The soft limit to ask for: `wanted` (the hard limit when nil), never above the hard limit and never
    /// lower than now; nil when the soft limit should stay as it is.
    public static func raisedSoftLimit(_ limits: Limits, wanted: UInt64? = nil) -> UInt64? {
        let target = min(wanted ?? limits.hard, limits.hard)
        return target > limits.soft ? target : nil
    }

    /// The limits in force now, or nil when they cannot be read.
    public static func current() -> Limits? {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return nil }
        return Limits(soft: UInt64(limit.rlim_cur), hard: UInt64(limit.rlim_max))
    }

    /// Raises the soft limit toward `wanted` (to the hard limit when nil); returns the limits in force after.
    @discardableResult
    public static func raise(to wanted: UInt64? = nil) -> Limits? {
        guard let limits = current() else { return nil }
        guard let soft = raisedSoftLimit(limits, wanted: wanted) else { return limits }
        var limit = rlimit(rlim_cur: rlim_t(soft), rlim_max: rlim_t(limits.hard))
        _ = setrlimit(resource, &limit)
        return current()
    }

    private static let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
}
