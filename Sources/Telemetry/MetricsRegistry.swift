import Synchronization

/// Holds every metric of the process and renders them in the Prometheus text format.
///
/// Looking a series up takes a short lock; updating one never does. Hot paths keep the returned
/// `Counter`/`Gauge`/`Histogram` and update it directly.
public final class MetricsRegistry: Sendable {
    struct State {
        var families: [String: MetricFamily] = [:]
        /// Family names in registration order, which is the exposition order.
        var order: [String] = []
    }

    let state = Mutex(State())

    public init() {}

    /// The counter `name` with `labels`; the same name and labels always give the same series.
    public func counter(_ name: String, help: String, labels: [String: String] = [:]) -> Counter {
        let series = series(name, help: help, kind: .counter, buckets: [], labels: labels) { .counter(Counter()) }
        guard case .counter(let counter) = series else { preconditionFailure("metric \(name) is not a counter") }
        return counter
    }

    /// The gauge `name` with `labels`; the same name and labels always give the same series.
    public func gauge(_ name: String, help: String, labels: [String: String] = [:]) -> Gauge {
        let series = series(name, help: help, kind: .gauge, buckets: [], labels: labels) { .gauge(Gauge()) }
        guard case .gauge(let gauge) = series else { preconditionFailure("metric \(name) is not a gauge") }
        return gauge
    }

    /// The histogram `name` with `labels` and bucket upper bounds `buckets` (sorted here; `+Inf` is implicit).
    public func histogram(_ name: String, help: String, buckets: [Double], labels: [String: String] = [:]) -> Histogram {
        let bounds = Array(Set(buckets.filter { $0.isFinite })).sorted()
        precondition(!labels.keys.contains("le"), "the label le is reserved for histogram buckets")
        let series = series(name, help: help, kind: .histogram, buckets: bounds, labels: labels) {
            .histogram(Histogram(upperBounds: bounds))
        }
        guard case .histogram(let histogram) = series else { preconditionFailure("metric \(name) is not a histogram") }
        return histogram
    }

    /// Finds or creates a series. Mixing kinds or bucket layouts under one name is a programming error
    /// that would make the exposition unreadable to Prometheus, so it stops the process at once.
    private func series(
        _ name: String, help: String, kind: MetricKind, buckets: [Double], labels: [String: String],
        make: () -> MetricSeries
    ) -> MetricSeries {
        precondition(PrometheusText.isValidMetricName(name), "invalid metric name \(name)")
        for labelName in labels.keys {
            precondition(PrometheusText.isValidLabelName(labelName), "invalid label name \(labelName) on \(name)")
        }
        let key = PrometheusText.renderLabels(labels)
        return state.withLock { state in
            if state.families[name] == nil {
                state.families[name] = MetricFamily(name: name, help: help, kind: kind, buckets: buckets)
                state.order.append(name)
            }
            let family = state.families[name]!
            precondition(family.kind == kind, "metric \(name) is a \(family.kind.rawValue), not a \(kind.rawValue)")
            precondition(family.buckets == buckets, "histogram \(name) already has other buckets")
            if let existing = family.series[key] { return existing }
            let created = make()
            state.families[name]!.series[key] = created
            return created
        }
    }
}
