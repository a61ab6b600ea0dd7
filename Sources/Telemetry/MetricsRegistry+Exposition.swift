extension MetricsRegistry {
    /// Prometheus text format 0.0.4: `# HELP`, `# TYPE`, escaped label values, `_bucket{le=…}`/`_sum`/`_count`, `+Inf`.
    public func exposition() -> String {
        // Copy the family list under the lock, then read the atomics without it.
        let families = state.withLock { state in state.order.map { state.families[$0]! } }
        var out = ""
        out.reserveCapacity(families.count * 256)
        for family in families {
            out += "# HELP \(family.name) \(PrometheusText.escapeHelp(family.help))\n"
            out += "# TYPE \(family.name) \(family.kind.rawValue)\n"
            for (labels, series) in family.series.sorted(by: { $0.key < $1.key }) {
                switch series {
                case .counter(let counter):
                    out += PrometheusText.sample(family.name, labels: labels, value: String(counter.value))
                case .gauge(let gauge):
                    out += PrometheusText.sample(family.name, labels: labels, value: String(gauge.value))
                case .histogram(let histogram):
                    appendHistogram(family.name, labels: labels, histogram: histogram, to: &out)
                }
            }
        }
        return out
    }

    private func appendHistogram(_ name: String, labels: String, histogram: Histogram, to out: inout String) {
        let prefix = labels.isEmpty ? "" : labels + ","
        let counts = histogram.bucketCounts()
        // `_count` is derived from the same bucket snapshot, so it always equals the `+Inf` bucket.
        var cumulative = 0
        for (index, bound) in histogram.upperBounds.enumerated() {
            cumulative += counts[index]
            out += PrometheusText.sample(
                name + "_bucket", labels: prefix + "le=\"\(PrometheusText.formatDouble(bound))\"", value: String(cumulative))
        }
        cumulative += counts[counts.count - 1]
        out += PrometheusText.sample(name + "_bucket", labels: prefix + "le=\"+Inf\"", value: String(cumulative))
        out += PrometheusText.sample(name + "_sum", labels: labels, value: PrometheusText.formatDouble(histogram.sum))
        out += PrometheusText.sample(name + "_count", labels: labels, value: String(cumulative))
    }
}
