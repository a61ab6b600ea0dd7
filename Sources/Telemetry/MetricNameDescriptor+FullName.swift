import Prometheus

extension MetricNameDescriptor {
    /// A descriptor from a whole Prometheus name (`campaign_http_requests_total`), which reads better
    /// in a list of families than the name split into namespace, subsystem, base and unit.
    public init(_ fullName: String, help: String) {
        self.init(metricName: fullName, unitName: "", helpText: help)
    }
}
