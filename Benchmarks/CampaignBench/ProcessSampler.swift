import Foundation
import Glibc

/// Reads another process's resident memory and CPU time from /proc (the server under test, same machine).
struct ProcessSampler {
    let pid: Int32
    private let ticksPerSecond: Double

    init(pid: Int32) throws {
        guard kill(pid, 0) == 0 || errno == EPERM else {
            throw BenchError("--server-pid \(pid): no such process on this machine")
        }
        self.pid = pid
        ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// VmRSS in bytes.
    func residentBytes() throws -> Int {
        let status = try read("status")
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 2, let kilobytes = Int(fields[1]) { return kilobytes * 1024 }
        }
        throw BenchError("/proc/\(pid)/status has no VmRSS line")
    }

    /// User plus system CPU time in seconds.
    func cpuSeconds() throws -> Double {
        let stat = try read("stat")
        // The command name (field 2) may contain spaces; the fields after its closing parenthesis are plain.
        guard let close = stat.lastIndex(of: ")") else { throw BenchError("/proc/\(pid)/stat is malformed") }
        let fields = stat[stat.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        // fields[0] is field 3 (state): utime is field 14, stime field 15.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else {
            throw BenchError("/proc/\(pid)/stat is malformed")
        }
        return (user + system) / ticksPerSecond
    }

    /// This process's own CPU time in seconds (user plus system).
    static func ownCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return user + system
    }

    private func read(_ name: String) throws -> String {
        do {
            return try String(contentsOfFile: "/proc/\(pid)/\(name)", encoding: .utf8)
        } catch {
            throw BenchError("cannot read /proc/\(pid)/\(name): the server process (--server-pid \(pid)) is gone?")
        }
    }
}
