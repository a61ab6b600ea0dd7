import ArgumentParser

/// The attacks `campaign-bench abuse` can run beside its probe; `none` measures the probe on an idle server.
enum AbuseScenario: String, CaseIterable, Codable, Sendable, ExpressibleByArgument {
    case none
    case pipelineFlood = "pipeline-flood"
    case slowloris
    case reconnectStorm = "reconnect-storm"
    case healthFlood = "health-flood"
    case largeWrites = "large-writes"

    /// Attacking connections when `--attackers` is not given: enough to matter, few enough for one machine.
    var defaultAttackers: Int {
        switch self {
        case .none: return 0
        case .pipelineFlood: return 8
        case .slowloris: return 1000
        case .reconnectStorm: return 1000
        case .healthFlood: return 32
        case .largeWrites: return 4
        }
    }

    /// One line for `--help` and the report.
    var summary: String {
        switch self {
        case .none: return "no attack: the probe's figures on an idle server"
        case .pipelineFlood: return "pipelined GET /client/campaign-client.js back to back, never reading a byte"
        case .slowloris: return "request heads and bodies trickled one byte at a time"
        case .reconnectStorm: return "streams closing and reopening with Last-Event-ID as fast as they are answered"
        case .healthFlood: return "GET /api/health as fast as answered over keep-alive connections"
        case .largeWrites: return "task creates with bodies of --body-bytes (MAX_BODY_BYTES) in a loop"
        }
    }

    static var allValueStrings: [String] { allCases.map(\.rawValue) }
}
