extension LoadRun {
    /// Everything one load run needs; the command line fills it.
    struct Configuration: Sendable {
        var address: ServerAddress
        var token: String
        var campaignID: String
        /// Further campaigns: worker i writes to campaign i mod n (`campaignID` first), and each campaign
        /// gets `subscribers` subscribers of its own.
        var moreCampaignIDs: [String] = []
        /// Workers, each with one keep-alive connection and one request in flight.
        var concurrency = 16
        /// Seconds of load.
        var duration = 30.0
        /// SSE subscribers per campaign, each of which must see every successful write to it.
        var subscribers = 10
        var mix = LoadMix()
        /// A worker at this many tasks updates instead of creating, so snapshots stay a realistic size.
        var maximumTasksPerWorker = 25
        var sourceAddresses = 8
        var connectTimeout = 60.0
        /// After the load, how long to wait for events still missing.
        var settle = 10.0
        var showProgress = true
        var commandLine = ""

        var campaignIDs: [String] { [campaignID] + moreCampaignIDs }
        /// Subscribers over all campaigns.
        var totalSubscribers: Int { subscribers * campaignIDs.count }

        /// The run stops by itself after this long, whatever its state.
        var timeout: Double { duration + connectTimeout + settle + 60 }
    }
}
