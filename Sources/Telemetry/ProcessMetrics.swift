import Prometheus

/// The standard `process_*` families (as the official Prometheus clients name them), read from
/// `/proc/self` when `/metrics` is scraped: nothing runs between scrapes.
public final class ProcessMetrics: Sendable {
    let cpuSeconds: MirroredCounter
    let residentBytes: Gauge
    let virtualBytes: Gauge
    let openDescriptors: Gauge
    let maximumDescriptors: Gauge
    let startTime: Gauge

    public init(registry: PrometheusCollectorRegistry) {
        cpuSeconds = MirroredCounter(registry.counter(
            "process_cpu_seconds_total", help: "User and system CPU time spent, in seconds."))
        residentBytes = registry.gauge(
            "process_resident_memory_bytes", help: "Resident memory size in bytes.")
        virtualBytes = registry.gauge(
            "process_virtual_memory_bytes", help: "Virtual memory size in bytes.")
        openDescriptors = registry.gauge("process_open_fds", help: "Open file descriptors.")
        maximumDescriptors = registry.gauge(
            "process_max_fds", help: "The soft limit of open file descriptors.")
        startTime = registry.gauge(
            "process_start_time_seconds", help: "When the process started, in seconds since the Unix epoch.")
    }

    /// Reads `/proc/self` into the families; leaves them as they were when it cannot.
    public func refresh() {
        guard let snapshot = ProcessSnapshot.current() else { return }
        cpuSeconds.advance(to: snapshot.cpuSeconds)
        residentBytes.set(to: Double(snapshot.residentBytes))
        virtualBytes.set(to: Double(snapshot.virtualBytes))
        openDescriptors.set(to: Double(snapshot.openDescriptors))
        maximumDescriptors.set(to: Double(snapshot.maximumDescriptors))
        startTime.set(to: snapshot.startTimeSeconds)
    }
}
