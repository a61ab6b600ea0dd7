import APITestSupport

/// One scrape of `/metrics`, parsed into samples (`name{labels} value`).
struct MetricsScrape {
    struct Sample {
        let name: String
        let labels: [String: String]
        let value: Double
    }

    let samples: [Sample]
    let text: String

    init(text: String) {
        self.text = text
        var samples: [Sample] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.isEmpty {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            let series = line[..<space]
            var labels: [String: String] = [:]
            var name = String(series)
            if let brace = series.firstIndex(of: "{"), series.hasSuffix("}") {
                name = String(series[..<brace])
                let body = series[series.index(after: brace)..<series.index(before: series.endIndex)]
                // Label values in these tests hold no escaped quotes or commas.
                for pair in body.split(separator: ",") {
                    guard let equals = pair.firstIndex(of: "=") else { continue }
                    labels[String(pair[..<equals])] = String(pair[pair.index(after: equals)...]).trimmingCharacters(in: ["\""])
                }
            }
            samples.append(Sample(name: name, labels: labels, value: value))
        }
        self.samples = samples
    }

    /// The sum of the samples called `name` whose labels include `labels` (0 when there are none).
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double {
        samples.filter { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }
            .reduce(0) { $0 + $1.value }
    }

    static func take(_ app: TestApplication, token: String? = nil) async throws -> MetricsScrape {
        let client = APIClient(port: app.port, token: token)
        let response = try await client.request("GET", "/metrics")
        guard response.status == 200 else { throw SetupFailure("GET /metrics: \(response.status)") }
        return MetricsScrape(text: String(decoding: response.body, as: UTF8.self))
    }

    /// Scrapes until `condition` holds (counters fed from other threads move shortly after the
    /// bytes they count); the last scrape is returned either way for the assertions to report.
    static func awaiting(_ app: TestApplication, _ condition: (MetricsScrape) -> Bool) async throws -> MetricsScrape {
        var scrape = try await take(app)
        for _ in 0..<400 where !condition(scrape) {
            try await Task.sleep(for: .milliseconds(25))
            scrape = try await take(app)
        }
        return scrape
    }
}
