/// Every series sharing one metric name, keyed by their rendered label set.
struct MetricFamily: Sendable {
    let name: String
    let help: String
    let kind: MetricKind
    /// Histogram bounds every series of the family shares (empty for other kinds).
    let buckets: [Double]
    /// Rendered labels (`a="x",b="y"`, names sorted) → series; escaping makes the rendering unique.
    var series: [String: MetricSeries] = [:]
}
