import CampaignAPI
import ServerConfiguration
import Security

extension AppConfiguration {
    /// One server instance's configuration: what `campaign-server serve` runs with, and what the tests
    /// and `campaign-bench --embedded` run with after changing a setting or two.
    public func application(tokenKeys: TokenKeys?) -> CampaignApplication.Configuration {
        CampaignApplication.Configuration(
            http: http, api: api(tokenKeys: tokenKeys),
            database: database.url.map { url in
                CampaignApplication.Configuration.Database(
                    pool: postgresPool(connectionString: url), listenURL: database.listenURL, store: postgresStore)
            },
            memoryStore: memoryStore,
            retentionMaximumAgeMilliseconds: Int64(retention.hours) * 3_600_000, retentionKeepCount: retention.count,
            shutdownReadinessDelaySeconds: server.shutdownReadinessDelaySeconds)
    }
}
