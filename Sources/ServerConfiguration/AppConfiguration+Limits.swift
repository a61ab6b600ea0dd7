extension AppConfiguration {
    /// Bounds on what one client or one campaign may hold.
    public struct Limits: Sendable, Equatable {
        /// MAX_TASKS_PER_CAMPAIGN: a create past it is refused with 409 `task_limit_reached` (both stores).
        public var maxTasksPerCampaign: Int
        /// MAX_STREAMS_PER_SUBJECT: event streams one token subject (`sub`) may hold open at once in this
        /// process, across all campaigns; the next one is refused with 429 `too_many_streams`. 0 = no cap.
        /// Not applied with AUTH_DISABLED=true, where every (loopback) client is the same subject.
        public var maxStreamsPerSubject: Int
        /// MAX_CAMPAIGNS_PER_STREAM: campaigns one `GET /api/events?campaign=…` stream may carry; more is
        /// refused with 400 `too_many_campaigns`. Bounds the rooms one connection joins and its cursor's length.
        public var maxCampaignsPerStream: Int

        public init(maxTasksPerCampaign: Int = 10_000, maxStreamsPerSubject: Int = 32, maxCampaignsPerStream: Int = 16) {
            self.maxTasksPerCampaign = maxTasksPerCampaign
            self.maxStreamsPerSubject = maxStreamsPerSubject
            self.maxCampaignsPerStream = maxCampaignsPerStream
        }
    }
}
