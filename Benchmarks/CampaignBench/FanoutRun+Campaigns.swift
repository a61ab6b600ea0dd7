import Foundation

extension FanoutRun {
    /// Creates one more campaign for a multi-campaign stream (`POST /api/campaigns`, admin only) and
    /// returns its id.
    func createCampaign() throws -> String {
        let path = "/api/campaigns"
        let client = RESTClient(loop: loop, address: configuration.address)
        defer { client.close() }
        let body = Array(#"{"name":"campaign-bench fanout \#(campaigns.count + 1)"}"#.utf8)
        let response = try client.perform(
            HTTPRequest.encode(method: "POST", path: path, address: configuration.address, token: configuration.token, body: body),
            deadline: runDeadline, what: "POST \(path)")
        switch response.head.status {
        case 201:
            guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
                  let id = object["id"] as? String else {
                throw BenchError("POST \(path) answered 201 without a campaign id: \(Snapshot.message(response))")
            }
            return id
        case 401, 403:
            throw BenchError("""
                --campaigns-per-stream above 1 creates campaigns, which needs an admin token for every campaign; \
                POST \(path) answered \(response.head.status): \(Snapshot.message(response))
                """)
        default:
            throw BenchError("POST \(path) answered \(response.head.status) \(response.head.reason): \(Snapshot.message(response))")
        }
    }
}
