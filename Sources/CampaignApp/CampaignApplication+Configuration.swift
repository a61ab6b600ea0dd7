import CampaignAPI
import CampaignStore
import HTTP
import Postgres

extension CampaignApplication {
    /// Everything one server instance needs: each module's own configuration, as
    /// `AppConfiguration.application(tokenKeys:)` (ServerConfiguration) builds it from the environment.
    /// Nothing here has a default: the operator's defaults live once, in `AppConfiguration`.
    public struct Configuration: Sendable {
        public var http: HTTPServer.Configuration
        public var api: APIConfiguration
        /// The PostgreSQL store (DATABASE_URL); nil runs on the embedded in-memory store.
        public var database: Database?
        /// The embedded store's bounds, used when `database` is nil.
        public var memoryStore: InMemoryCampaignStore.Configuration
        /// The pruner deletes events older than this (EVENT_RETENTION_HOURS) ...
        public var retentionMaximumAgeMilliseconds: Int64
        /// ... and beyond the newest this many (EVENT_RETENTION_COUNT).
        public var retentionKeepCount: Int
        /// How long `/readyz` fails before the listener closes at shutdown (0: close at once).
        public var shutdownReadinessDelaySeconds: Int

        public init(
            http: HTTPServer.Configuration, api: APIConfiguration, database: Database?,
            memoryStore: InMemoryCampaignStore.Configuration, retentionMaximumAgeMilliseconds: Int64, retentionKeepCount: Int,
            shutdownReadinessDelaySeconds: Int
        ) {
            self.http = http
            self.api = api
            self.database = database
            self.memoryStore = memoryStore
            self.retentionMaximumAgeMilliseconds = retentionMaximumAgeMilliseconds
            self.retentionKeepCount = retentionKeepCount
            self.shutdownReadinessDelaySeconds = shutdownReadinessDelaySeconds
        }

        /// The PostgreSQL side of one instance.
        public struct Database: Sendable {
            /// The query pool: DATABASE_URL, its size, prepared statements and the `lock_timeout` a write
            /// waits for a campaign another transaction holds (503 `campaign_busy` after it). The
            /// migrations run on a pool of the same connection string, without that lock timeout.
            public var pool: PostgresPool.Configuration
            /// The LISTEN connection's connection string when it must bypass a pooler; nil: the pool's.
            public var listenURL: String?
            public var store: PostgresCampaignStore.Configuration

            public init(pool: PostgresPool.Configuration, listenURL: String?, store: PostgresCampaignStore.Configuration) {
                self.pool = pool
                self.listenURL = listenURL
                self.store = store
            }
        }
    }
}
