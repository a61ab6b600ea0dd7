import Prometheus

extension MetricNameDescriptor {
    /// A descriptor from a whole Prometheus name (`campaign_http_requests_total`), which reads better
    /// in a list of families than the name split into namespace, subsystem, base and unit.
    public init(_ fullName: String, help: String) {
        self.init(metricName: fullName, unitName: "", helpText: help)
    }
}

extension PrometheusCollectorRegistry {
    /// The unlabelled counter `name` (the same one on every call).
    public func counter(_ name: String, help: String) -> Counter {
        makeCounter(descriptor: MetricNameDescriptor(name, help: help))
    }

    /// The unlabelled gauge `name` (the same one on every call).
    public func gauge(_ name: String, help: String) -> Gauge {
        makeGauge(descriptor: MetricNameDescriptor(name, help: help))
    }
}
