import Histogram

/// Percentiles of a latency histogram recorded in microseconds, reported in milliseconds.
struct LatencySummary: Codable {
    /// One point of the percentile curve.
    struct Point: Codable {
        let percentile: Double
        let milliseconds: Double
    }

    let count: UInt64
    let p50: Double
    let p90: Double
    let p99: Double
    let p999: Double
    let max: Double
    let mean: Double

    init(_ histogram: Histogram<UInt64>) {
        count = histogram.totalCount
        func ms(_ microseconds: UInt64) -> Double { Double(microseconds) / 1000 }
        if count == 0 {
            p50 = 0; p90 = 0; p99 = 0; p999 = 0; max = 0; mean = 0
            return
        }
        p50 = ms(histogram.valueAtPercentile(50))
        p90 = ms(histogram.valueAtPercentile(90))
        p99 = ms(histogram.valueAtPercentile(99))
        p999 = ms(histogram.valueAtPercentile(99.9))
        max = ms(histogram.max)
        mean = histogram.mean / 1000
    }

    /// The percentile curve (HdrHistogram's percentile iteration, 5 ticks per half distance).
    static func curve(_ histogram: Histogram<UInt64>) -> [Point] {
        guard histogram.totalCount > 0 else { return [] }
        return histogram.percentiles(ticksPerHalfDistance: 5).map {
            Point(percentile: $0.percentileLevelIteratedTo, milliseconds: Double($0.value) / 1000)
        }
    }
}
