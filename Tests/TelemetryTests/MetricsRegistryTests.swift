import Testing
@testable import Telemetry

@Suite struct MetricsRegistryTests {
    @Test func sameNameAndLabelsGiveTheSameSeries() {
        let registry = MetricsRegistry()
        let first = registry.counter("requests_total", help: "Requests.", labels: ["route": "/a", "status": "200"])
        let again = registry.counter("requests_total", help: "Requests.", labels: ["status": "200", "route": "/a"])
        let other = registry.counter("requests_total", help: "Requests.", labels: ["route": "/a", "status": "404"])
        #expect(first === again)
        #expect(first !== other)
        #expect(registry.gauge("open", help: "Open.") === registry.gauge("open", help: "Open."))
        #expect(registry.histogram("latency", help: "L.", buckets: [1, 2]) === registry.histogram("latency", help: "L.", buckets: [2, 1]))
    }

    @Test func countersAndGaugesMove() {
        let registry = MetricsRegistry()
        let counter = registry.counter("events_total", help: "Events.")
        counter.increment()
        counter.increment(by: 41)
        counter.increment(by: 0)
        #expect(counter.value == 42)
        let gauge = registry.gauge("clients", help: "Clients.")
        gauge.increment(by: 5)
        gauge.decrement()
        gauge.increment(by: -2)
        #expect(gauge.value == 2)
        gauge.set(-7)
        #expect(gauge.value == -7)
    }

    @Test func exposesTheTextFormat() throws {
        let registry = MetricsRegistry()
        registry.counter("http_requests_total", help: "HTTP requests by route and status.", labels: ["route": "/api/health", "status": "200"])
            .increment(by: 3)
        registry.counter("http_requests_total", help: "ignored: the first help wins", labels: ["route": "/api/health", "status": "503"])
            .increment()
        registry.gauge("open_connections", help: "Open connections.").set(12)
        let text = registry.exposition()
        let parsed = try ExpositionParser(text)

        #expect(parsed.types == ["http_requests_total": "counter", "open_connections": "gauge"])
        #expect(parsed.help["http_requests_total"] == "HTTP requests by route and status.")
        #expect(parsed.value("http_requests_total", ["route": "/api/health", "status": "200"]) == 3)
        #expect(parsed.value("http_requests_total", ["status": "503"]) == 1)
        #expect(parsed.value("open_connections") == 12)
        // Families in registration order, HELP then TYPE before their samples.
        #expect(text.hasPrefix("# HELP http_requests_total HTTP requests by route and status.\n# TYPE http_requests_total counter\n"))
        #expect(text.contains(#"http_requests_total{route="/api/health",status="200"} 3"# + "\n"))
        #expect(text.hasSuffix("# HELP open_connections Open connections.\n# TYPE open_connections gauge\nopen_connections 12\n"))
    }

    @Test func escapesLabelValuesAndHelp() throws {
        let registry = MetricsRegistry()
        let awkward = "say \"hi\"\\path\nnext ✓"
        registry.counter("odd_total", help: "Help with \\ and\nnewline \"quoted\".", labels: ["value": awkward]).increment()
        let text = registry.exposition()
        #expect(text.contains(#"odd_total{value="say \"hi\"\\path\nnext ✓"} 1"#))
        #expect(text.contains(#"# HELP odd_total Help with \\ and\nnewline "quoted"."#))
        let parsed = try ExpositionParser(text)
        #expect(parsed.value("odd_total", ["value": awkward]) == 1)
        #expect(parsed.help["odd_total"] == "Help with \\ and\nnewline \"quoted\".")
    }

    @Test func placesHistogramObservationsInTheirBuckets() throws {
        let registry = MetricsRegistry()
        let histogram = registry.histogram("latency_seconds", help: "Latency.", buckets: [0.1, 0.5, 1, 2.5], labels: ["route": "/x"])
        // A value equal to a bound belongs to that bucket (`le` is "less than or equal").
        for value in [0.05, 0.1, 0.3, 0.5, 1, 2, 100, -1] { histogram.observe(value) }
        histogram.observe(.nan)
        #expect(histogram.count == 8)
        #expect(histogram.sum == 0.05 + 0.1 + 0.3 + 0.5 + 1 + 2 + 100 - 1)

        let parsed = try ExpositionParser(registry.exposition())
        #expect(parsed.types["latency_seconds"] == "histogram")
        #expect(parsed.value("latency_seconds_bucket", ["route": "/x", "le": "0.1"]) == 3)
        #expect(parsed.value("latency_seconds_bucket", ["route": "/x", "le": "0.5"]) == 5)
        #expect(parsed.value("latency_seconds_bucket", ["route": "/x", "le": "1"]) == 6)
        #expect(parsed.value("latency_seconds_bucket", ["route": "/x", "le": "2.5"]) == 7)
        #expect(parsed.value("latency_seconds_bucket", ["route": "/x", "le": "+Inf"]) == 8)
        #expect(parsed.value("latency_seconds_count", ["route": "/x"]) == 8)
        #expect(parsed.value("latency_seconds_sum", ["route": "/x"]) == histogram.sum)
        // Cumulative buckets never decrease and end at the count.
        let buckets = parsed.values("latency_seconds_bucket")
        #expect(buckets == buckets.sorted())
        #expect(buckets.count == 5)
    }

    @Test func anEmptyHistogramStillExposesEveryBucket() throws {
        let registry = MetricsRegistry()
        _ = registry.histogram("idle_seconds", help: "Idle.", buckets: [0.5])
        let parsed = try ExpositionParser(registry.exposition())
        #expect(parsed.value("idle_seconds_bucket", ["le": "0.5"]) == 0)
        #expect(parsed.value("idle_seconds_bucket", ["le": "+Inf"]) == 0)
        #expect(parsed.value("idle_seconds_sum") == 0)
        #expect(parsed.value("idle_seconds_count") == 0)
    }

    @Test func concurrentIncrementsAddUpExactly() async throws {
        let registry = MetricsRegistry()
        let tasks = 64, rounds = 2_000
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    // Every task looks the series up itself, racing on first creation too.
                    let counter = registry.counter("hits_total", help: "Hits.", labels: ["shard": String(task % 4)])
                    let total = registry.counter("all_total", help: "All.")
                    let gauge = registry.gauge("level", help: "Level.")
                    let histogram = registry.histogram("sizes", help: "Sizes.", buckets: [1, 10])
                    for round in 0..<rounds {
                        counter.increment()
                        total.increment(by: 2)
                        gauge.increment()
                        gauge.decrement()
                        histogram.observe(round.isMultiple(of: 2) ? 1 : 5)
                    }
                }
            }
        }
        #expect(registry.counter("all_total", help: "All.").value == tasks * rounds * 2)
        #expect(registry.gauge("level", help: "Level.").value == 0)
        let histogram = registry.histogram("sizes", help: "Sizes.", buckets: [1, 10])
        #expect(histogram.count == tasks * rounds)
        #expect(histogram.sum == Double(tasks * rounds / 2) * 1 + Double(tasks * rounds / 2) * 5)
        let parsed = try ExpositionParser(registry.exposition())
        for shard in 0..<4 {
            #expect(parsed.value("hits_total", ["shard": String(shard)]) == Double(tasks / 4 * rounds))
        }
        #expect(parsed.value("sizes_bucket", ["le": "1"]) == Double(tasks * rounds / 2))
        #expect(parsed.value("sizes_bucket", ["le": "10"]) == Double(tasks * rounds))
    }

    @Test func formatsNumbersAsPrometheusReadsThem() {
        #expect(PrometheusText.formatDouble(1) == "1")
        #expect(PrometheusText.formatDouble(0.005) == "0.005")
        #expect(PrometheusText.formatDouble(-2.5) == "-2.5")
        #expect(PrometheusText.formatDouble(.infinity) == "+Inf")
        #expect(PrometheusText.formatDouble(-.infinity) == "-Inf")
        #expect(PrometheusText.formatDouble(.nan) == "NaN")
        #expect(Double(PrometheusText.formatDouble(1e-7)) == 1e-7)
    }

    @Test func validatesNames() {
        #expect(PrometheusText.isValidMetricName("campaign_http_requests_total"))
        #expect(PrometheusText.isValidMetricName("ns:sub_metric"))
        #expect(!PrometheusText.isValidMetricName("1metric"))
        #expect(!PrometheusText.isValidMetricName("bad-name"))
        #expect(!PrometheusText.isValidMetricName(""))
        #expect(PrometheusText.isValidLabelName("route"))
        #expect(!PrometheusText.isValidLabelName("__name__"))
        #expect(!PrometheusText.isValidLabelName("a:b"))
    }
}
