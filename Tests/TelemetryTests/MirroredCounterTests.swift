import Prometheus
import Testing
@testable import Telemetry

/// A counter brought up to a total kept elsewhere: each gain counted once, never down.
@Suite struct MirroredCounterTests {
    static func sample(_ registry: PrometheusCollectorRegistry, _ name: String) -> String? {
        registry.emitToString().split(separator: "\n").first { $0.hasPrefix(name + " ") }.map { String($0.dropFirst(name.count + 1)) }
    }

    @Test func followsTheTotalAndNeverGoesDown() {
        let registry = PrometheusCollectorRegistry()
        let mirrored = MirroredCounter(registry.counter("things_total", help: "Things."))
        mirrored.advance(to: 5)
        mirrored.advance(to: 5)
        #expect(Self.sample(registry, "things_total") == "5")
        mirrored.advance(to: 3)  // a total that went down adds nothing
        #expect(Self.sample(registry, "things_total") == "5")
        mirrored.advance(to: 9)
        #expect(Self.sample(registry, "things_total") == "9")
    }

    @Test func fractionalTotalsAreKept() throws {
        let registry = PrometheusCollectorRegistry()
        let mirrored = MirroredCounter(registry.counter("cpu_seconds_total", help: "CPU."))
        mirrored.advance(to: 0.25)
        mirrored.advance(to: 1.75)
        #expect(try #require(Self.sample(registry, "cpu_seconds_total").flatMap(Double.init)) == 1.75)
    }

    /// Concurrent scrapes racing to the same total add its gain once.
    @Test func concurrentAdvancesCountEachGainOnce() async {
        let registry = PrometheusCollectorRegistry()
        let mirrored = MirroredCounter(registry.counter("raced_total", help: "Raced."))
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask { for total in 0...1000 { mirrored.advance(to: total) } }
            }
        }
        #expect(Self.sample(registry, "raced_total") == "1000")
    }

    @Test func processFamiliesAreFilledAtRefresh() throws {
        let registry = PrometheusCollectorRegistry()
        let process = ProcessMetrics(registry: registry)
        #expect(Self.sample(registry, "process_open_fds") == "0.0")
        process.refresh()
        let descriptors = try #require(Self.sample(registry, "process_open_fds").flatMap(Double.init))
        #expect(descriptors >= 3)
        #expect(try #require(Self.sample(registry, "process_resident_memory_bytes").flatMap(Double.init)) > 1_000_000)
        #expect(registry.emitToString().contains("# TYPE process_cpu_seconds_total counter"))
    }
}
