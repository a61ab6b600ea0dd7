/// The server's resident memory across a run: before the attack, the peak of samples taken every
/// `interval` on the probe's loop, and the last sample. Notices when the process is gone.
final class MemoryWatch {
    let sampler: ProcessSampler
    let before: Int
    private(set) var peak: Int
    private(set) var last: Int
    private(set) var processGone = false
    private var sampling = false

    init(pid: Int32) throws {
        sampler = try ProcessSampler(pid: pid)
        before = try sampler.residentBytes()
        peak = before
        last = before
    }

    var growth: Int { peak - before }

    /// Takes one sample now.
    func sample() {
        // A zombie still answers /proc/PID/status, without VmRSS: both mean the server is gone.
        guard !processGone, let resident = try? sampler.residentBytes() else {
            processGone = true
            return
        }
        last = resident
        peak = max(peak, resident)
    }

    /// Samples every `interval` seconds on `loop` until `stop()`, calling `check` after each sample.
    func start(loop: ClientLoop, interval: Double, check: @escaping (MemoryWatch) -> Void) {
        sampling = true
        let nanoseconds = Clock.nanoseconds(seconds: interval)
        func next(_ loop: ClientLoop) {
            loop.schedule(at: Clock.now() + nanoseconds) { [weak self, weak loop] in
                guard let self, let loop, sampling else { return }
                sample()
                check(self)
                next(loop)
            }
        }
        next(loop)
    }

    func stop() {
        sampling = false
    }

    /// The figures for the report.
    var figures: AbuseResult.ServerMemory {
        AbuseResult.ServerMemory(pid: sampler.pid, residentBytesBefore: before, residentBytesPeak: peak,
                                 residentBytesAfter: last, growthBytes: growth, exited: processGone)
    }
}
