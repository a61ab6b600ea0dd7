import Sockets
import Testing

/// The server and the benchmark take the open-file limit they may have, never lowering it.
@Suite struct FileDescriptorLimitTests {
    typealias Limits = FileDescriptorLimit.Limits

    @Test func theSoftLimitRisesToTheHardOneOrToWhatIsWanted() {
        #expect(FileDescriptorLimit.raisedSoftLimit(Limits(soft: 1024, hard: 524_288)) == 524_288)
        #expect(FileDescriptorLimit.raisedSoftLimit(Limits(soft: 1024, hard: 524_288), wanted: 20_000) == 20_000)
        #expect(FileDescriptorLimit.raisedSoftLimit(Limits(soft: 1024, hard: 4096), wanted: 20_000) == 4096)
        #expect(FileDescriptorLimit.raisedSoftLimit(Limits(soft: 1024, hard: .max), wanted: 20_000) == 20_000)
    }

    @Test func itIsNeverLowered() {
        #expect(FileDescriptorLimit.raisedSoftLimit(Limits(soft: 4096, hard: 4096)) == nil)
        #expect(FileDescriptorLimit.raisedSoftLimit(Limits(soft: 8192, hard: 65_536), wanted: 2048) == nil)
        #expect(FileDescriptorLimit.raisedSoftLimit(Limits(soft: .max, hard: .max)) == nil)
    }

    @Test func raisingLeavesTheProcessAtItsHardLimit() throws {
        let before = try #require(FileDescriptorLimit.current())
        let after = try #require(FileDescriptorLimit.raise())
        #expect(after.hard == before.hard)
        #expect(after.soft == before.hard || before.hard == .max)
        #expect(after.soft >= before.soft)
    }
}
