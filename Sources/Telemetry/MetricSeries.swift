/// One labelled series of a family.
enum MetricSeries: Sendable {
    case counter(Counter)
    case gauge(Gauge)
    case histogram(Histogram)
}
