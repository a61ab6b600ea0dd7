import Glibc

/// What `/proc/self` says about this process at one moment (Linux only), for the `process_*` metrics.
public struct ProcessSnapshot: Sendable, Equatable {
    /// User plus system CPU time since the process started.
    public var cpuSeconds: Double
    /// Resident set size.
    public var residentBytes: Int
    /// Virtual memory size.
    public var virtualBytes: Int
    /// Open file descriptors.
    public var openDescriptors: Int
    /// The soft open-file limit.
    public var maximumDescriptors: Int
    /// When the process started, in seconds since the Unix epoch.
    public var startTimeSeconds: Double

    /// Reads the snapshot; nil when `/proc` cannot be read (not Linux, or no procfs mounted).
    public static func current() -> ProcessSnapshot? {
        guard let stat = ProcFile.read("/proc/self/stat"), let systemStat = ProcFile.read("/proc/stat"),
              let openDescriptors = ProcFile.entryCount("/proc/self/fd")
        else { return nil }
        var limit = rlimit()
        let readable = getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0
        let maximum = readable && limit.rlim_cur < Int.max ? Int(limit.rlim_cur) : -1  // RLIM_INFINITY is all ones
        return parse(
            stat: stat, systemStat: systemStat, ticksPerSecond: sysconf(Int32(_SC_CLK_TCK)),
            pageSize: sysconf(Int32(_SC_PAGESIZE)), openDescriptors: openDescriptors, maximumDescriptors: maximum)
    }

    /// Reads `/proc/self/stat` (proc(5): utime and stime in clock ticks are fields 14 and 15, starttime in
    /// ticks after boot is 22, vsize in bytes 23, rss in pages 24) and the `btime` line of `/proc/stat`.
    static func parse(
        stat: String, systemStat: String, ticksPerSecond: Int, pageSize: Int, openDescriptors: Int, maximumDescriptors: Int
    ) -> ProcessSnapshot? {
        // The command name (field 2) is in parentheses and may hold spaces and parentheses itself,
        // so the fields are counted from the last ")".
        guard ticksPerSecond > 0, let close = stat.utf8.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state): field N is fields[N - 3].
        guard fields.count > 21, let userTicks = Int(fields[11]), let systemTicks = Int(fields[12]),
              let startTicks = Int(fields[19]), let virtualBytes = Int(fields[20]), let residentPages = Int(fields[21]),
              let bootTime = bootTimeSeconds(systemStat)
        else { return nil }
        let ticks = Double(ticksPerSecond)
        return ProcessSnapshot(
            cpuSeconds: Double(userTicks + systemTicks) / ticks, residentBytes: residentPages * pageSize,
            virtualBytes: virtualBytes, openDescriptors: openDescriptors, maximumDescriptors: maximumDescriptors,
            startTimeSeconds: Double(bootTime) + Double(startTicks) / ticks)
    }

    /// The `btime` line of `/proc/stat`: when the machine booted, in seconds since the epoch.
    static func bootTimeSeconds(_ systemStat: String) -> Int? {
        for line in systemStat.split(separator: "\n") where line.hasPrefix("btime ") {
            return Int(line.dropFirst("btime ".count))
        }
        return nil
    }
}
