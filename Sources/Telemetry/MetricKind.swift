/// The Prometheus type of a metric family.
enum MetricKind: String, Sendable {
    case counter, gauge, histogram
}
