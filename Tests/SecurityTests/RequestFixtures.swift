import HTTP

/// Builds the parsed requests the access and CORS tests feed in.
enum RequestFixtures {
    static func request(
        method: String = "GET", path: String = "/api/campaigns", query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = []
    ) -> HTTPRequest {
        let target = query.isEmpty ? path : path + "?" + query.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        return HTTPRequest(
            method: method, target: target, path: path,
            pathSegments: path.split(separator: "/").map(String.init), query: query,
            version: .http1_1, headers: HTTPHeaders(headers))
    }
}
