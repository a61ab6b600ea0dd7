import Glibc
import Testing
@testable import Telemetry

/// `/proc/self` read into the `process_*` figures: the parser on fixed text, then on this very process.
@Suite struct ProcessSnapshotTests {
    // A real line of /proc/self/stat, with a command name holding a space and a ")" to skip.
    static let stat = "4242 (campaign (x) server) S 1 4242 4242 0 -1 4194560 1183 0 0 0 250 75 0 0 20 0 9 0 "
        + "123400 1073741824 2048 18446744073709551615 1 1 0 0 0 0 0 4096 17475 0 0 0 17 1 0 0 0 0 0\n"
    static let systemStat = "cpu  1 2 3 4\nintr 5\nbtime 1700000000\nprocesses 77\n"

    @Test func parsesCPUMemoryAndStartTimeFromStat() throws {
        let snapshot = try #require(ProcessSnapshot.parse(
            stat: Self.stat, systemStat: Self.systemStat, ticksPerSecond: 100, pageSize: 4096,
            openDescriptors: 12, maximumDescriptors: 1024))
        #expect(snapshot.cpuSeconds == 3.25)  // (250 + 75) ticks at 100 per second
        #expect(snapshot.virtualBytes == 1_073_741_824)
        #expect(snapshot.residentBytes == 2048 * 4096)
        #expect(snapshot.startTimeSeconds == 1_700_000_000 + 1234)  // boot + 123400 ticks
        #expect(snapshot.openDescriptors == 12)
        #expect(snapshot.maximumDescriptors == 1024)
    }

    @Test func refusesTruncatedOrForeignText() {
        #expect(ProcessSnapshot.parse(stat: "4242 (short) S 1 2 3", systemStat: Self.systemStat, ticksPerSecond: 100,
                                      pageSize: 4096, openDescriptors: 0, maximumDescriptors: 0) == nil)
        #expect(ProcessSnapshot.parse(stat: Self.stat, systemStat: "cpu 1 2 3\n", ticksPerSecond: 100,
                                      pageSize: 4096, openDescriptors: 0, maximumDescriptors: 0) == nil)
        #expect(ProcessSnapshot.parse(stat: Self.stat, systemStat: Self.systemStat, ticksPerSecond: 0,
                                      pageSize: 4096, openDescriptors: 0, maximumDescriptors: 0) == nil)
    }

    /// Opening descriptors moves the count by exactly as many; memory and start time are plausible.
    /// Other suites open and close sockets in the same process meanwhile, so one pair of readings may
    /// be off by their churn: the count must come out exact in at least one of a few tries.
    @Test func thisProcessIsReadLive() throws {
        var before = try #require(ProcessSnapshot.current())
        var differences: [Int] = []
        for _ in 0..<20 {
            before = try #require(ProcessSnapshot.current())
            var pipes: [Int32] = [0, 0, 0, 0]
            #expect(pipe(&pipes[0]) == 0)
            #expect(pipes.withUnsafeMutableBufferPointer { pipe($0.baseAddress! + 2) } == 0)
            let during = try #require(ProcessSnapshot.current())
            for descriptor in pipes { close(descriptor) }
            differences.append(during.openDescriptors - before.openDescriptors)
            if differences.last == 4 { break }
        }
        #expect(differences.last == 4, "differences seen: \(differences)")
        #expect(before.residentBytes > 1_000_000)
        #expect(before.cpuSeconds > 0)
        #expect(abs(before.startTimeSeconds - Double(time(nil))) < 24 * 3600)
        var limit = rlimit()
        #expect(getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0)
        #expect(before.maximumDescriptors == Int(limit.rlim_cur))
    }
}
