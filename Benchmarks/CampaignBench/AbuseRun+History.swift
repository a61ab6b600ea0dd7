import Foundation

extension AbuseRun {
    /// Creates `count` tasks in `phaseID` before the probe connects, one at a time on one keep-alive
    /// connection, so the campaign has the history a campaign in use has: a stream resuming from an old
    /// `Last-Event-ID` (reconnect-storm's) is then replayed that many events.
    func createHistory(count: Int, phaseID: String) throws {
        guard count > 0 else { return }
        let client = RESTClient(loop: loop, address: configuration.address)
        defer { client.close() }
        let body = Array(#"{"phaseId":"\#(phaseID)","title":"history"}"#.utf8)
        let request = HTTPRequest.encode(method: "POST", path: "/api/campaigns/\(configuration.campaignID)/tasks",
                                         address: configuration.address, token: configuration.token, body: body)
        for index in 0..<count {
            let response = try client.perform(request, deadline: runDeadline, what: "creating history task \(index + 1) of \(count)")
            guard response.head.status == 201 else {
                throw BenchError("creating history task \(index + 1) of \(count): answered \(response.head.status): \(Snapshot.message(response))")
            }
        }
    }
}
