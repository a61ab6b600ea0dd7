extension FanoutRun {
    /// Everything one fan-out run needs; the command line fills it.
    struct Configuration: Sendable {
        var address: ServerAddress
        var token: String
        var campaignID: String
        /// Campaigns each stream carries (`GET /api/events?campaign=…` when above 1): `campaignID` and
        /// campaigns the run creates; the creates go round-robin over them.
        var campaignsPerStream = 1
        var clients = 1000
        var events = 50
        /// Tasks created per second; nil publishes all at once (`--burst`).
        var rate: Double? = 20
        /// Closed loop: each create waits until every client has the previous event (and for its
        /// `rate` slot), so one event's fan-out is measured with nothing queued behind it. Open loop
        /// (false) keeps the rate whatever the deliveries do.
        var closedLoop = false
        /// The server's process id on this machine, for memory and CPU figures.
        var serverPID: Int32?
        var sourceAddresses = 8
        /// Connections opened but not yet live at any moment; more overflows the server's accept backlog
        /// and costs SYN retransmits (a second each) instead of measuring the server.
        var connectConcurrency = 1000
        /// Keep-alive connections that create tasks (one request in flight each); nil: one per task up to 64.
        /// Enough of them keep the rate even while the server answers slowly: a create waiting for a free
        /// connection would hide the server's queueing from the figures (coordinated omission).
        var publishers: Int?
        var connectTimeout = 60.0
        /// The whole run stops by itself after this many seconds.
        var timeout = 300.0
        /// After the last create is answered, how long to wait for deliveries still missing.
        var settle = 10.0
        /// Quiet time before the "live and idle" memory sample.
        var idleBeforeMemorySample = 1.0
        var showProgress = true
        /// Quoted in the report so a figure can be reproduced.
        var commandLine = ""

        var publisherCount: Int {
            if let publishers { return max(1, publishers) }
            return max(1, min(events, 64))
        }
    }
}
