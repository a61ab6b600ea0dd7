import APITestSupport

/// Reads one unlabelled series from `GET /metrics` (nil when absent).
func metricValue(_ app: TestApplication, _ name: String) async throws -> Double? {
    let response = try await app.client().request("GET", "/metrics")
    guard response.status == 200 else { throw SetupFailure("GET /metrics: \(response.status)") }
    return seriesValue(String(decoding: response.body, as: UTF8.self), name)
}

/// The value of the unlabelled series `name` in Prometheus text.
func seriesValue(_ exposition: String, _ name: String) -> Double? {
    for line in exposition.split(separator: "\n") where !line.hasPrefix("#") {
        let parts = line.split(separator: " ")
        if parts.count >= 2 && parts[0] == name { return Double(parts[1]) }
    }
    return nil
}
