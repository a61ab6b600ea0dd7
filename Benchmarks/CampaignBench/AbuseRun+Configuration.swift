extension AbuseRun {
    /// Everything one abuse run needs; the command line fills it.
    struct Configuration: Sendable {
        var address: ServerAddress
        var token: String
        var campaignID: String
        var scenario: AbuseScenario
        var attackers: Int
        /// Seconds of attack (and of probe writes).
        var duration = 20.0
        /// Seconds between two probe writes.
        var probeInterval = 0.1
        /// After the attack, how long to wait for the probe's writes and events still missing.
        var settle = 5.0
        /// The server's process on this machine, for its memory; nil: not measured.
        var serverPID: Int32?
        var sourceAddresses = 8
        var maximumRequests = 10_000_000
        var bodyBytes = 1_048_576
        var trickleInterval = 1.0
        var lastEventID: Int64 = 0
        var attackPriority = AttackPriority.idle
        /// Tasks created before the probe connects (each one event in the campaign's log).
        var historyTasks = 0
        /// The attack is stopped early once the server's RSS grew this much (protects the machine).
        var stopAtGrowthBytes = 1024 * 1_048_576
        /// A run whose server RSS grew more than this is reported as a problem.
        var maximumGrowthBytes = 64 * 1_048_576
        /// The idle server's probe p99s (write, delivery) in ms, from `--baseline`.
        var baselineP99: (write: Double, delivery: Double)?
        var maximumP99Ratio = 2.0
        var showProgress = true
        var commandLine = ""

        /// Setup, attack, the attack's own shutdown and the settle time: the run never outlasts this.
        var timeout: Double { duration + settle + 60 }
    }
}
