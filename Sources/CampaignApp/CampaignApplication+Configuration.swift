import CampaignAPI
import HTTP
import Realtime

extension CampaignApplication {
    /// Everything one server instance needs, typed (built from the environment by `ServerConfiguration`).
    public struct Configuration: Sendable {
        public var http: HTTPServer.Configuration
        public var api: APIConfiguration
        /// A libpq connection string; nil runs on the embedded in-memory store.
        public var databaseURL: String?
        /// The LISTEN connection's connection string when it must bypass a pooler; nil: `databaseURL`.
        public var databaseListenURL: String?
        public var databasePoolSize: Int
        /// Prepare each statement once per pooled session (see `PostgresPool.Configuration`).
        public var databasePreparedStatements: Bool
        /// The `lock_timeout` of the pooled sessions: a write to a campaign another transaction holds
        /// fails after this long (503 `campaign_busy`) instead of holding a session to the statement timeout.
        public var databaseLockTimeoutMilliseconds: Int
        public var retentionMaximumAgeMilliseconds: Int64
        public var retentionKeepCount: Int
        /// The in-memory store's event log budget in bytes (PostgreSQL prunes by age and count only).
        public var retentionMaximumBytes: Int
        /// Both stores refuse a create past this many tasks in one campaign.
        public var maximumTasksPerCampaign: Int
        /// How long `/readyz` fails before the listener closes at shutdown (0: close at once).
        public var shutdownReadinessDelaySeconds: Int

        public init(
            http: HTTPServer.Configuration, api: APIConfiguration, databaseURL: String? = nil, databasePoolSize: Int = 4,
            databasePreparedStatements: Bool = true, databaseLockTimeoutMilliseconds: Int = 2000,
            retentionMaximumAgeMilliseconds: Int64 = 7 * 24 * 3_600_000, retentionKeepCount: Int = 100_000,
            retentionMaximumBytes: Int = 64 * 1_048_576, maximumTasksPerCampaign: Int = 10_000,
            shutdownReadinessDelaySeconds: Int = 0
        ) {
            self.http = http
            self.api = api
            self.databaseURL = databaseURL
            self.databasePoolSize = databasePoolSize
            self.databasePreparedStatements = databasePreparedStatements
            self.databaseLockTimeoutMilliseconds = databaseLockTimeoutMilliseconds
            self.retentionMaximumAgeMilliseconds = retentionMaximumAgeMilliseconds
            self.retentionKeepCount = retentionKeepCount
            self.retentionMaximumBytes = retentionMaximumBytes
            self.maximumTasksPerCampaign = maximumTasksPerCampaign
            self.shutdownReadinessDelaySeconds = shutdownReadinessDelaySeconds
        }
    }
}
