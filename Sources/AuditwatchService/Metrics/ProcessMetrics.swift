import Foundation
import Prometheus
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The standard `process_*` families of Prometheus clients (CPU, memory, file descriptors, start
/// time), read from `/proc/self` at each scrape.
final class ProcessMetrics: Sendable {
    private let cpu: Prometheus.Counter
    private let resident: Prometheus.Gauge
    private let virtual: Prometheus.Gauge
    private let openFDs: Prometheus.Gauge
    private let maxFDs: Prometheus.Gauge
    private let startTime: Prometheus.Gauge
    /// CPU seconds already added to the counter (it only moves by increments); held while a
    /// scrape reads `/proc`, so two scrapes never add the same seconds twice.
    private let cpuReported = Mutex(0.0)

    init(registry: PrometheusCollectorRegistry) {
        cpu = registry.makeCounter(
            descriptor: .named("process_cpu_seconds_total", help: "Total user and system CPU time spent in seconds."),
            labels: [])
        resident = registry.makeGauge(
            descriptor: .named("process_resident_memory_bytes", help: "Resident memory size in bytes."), labels: [])
        virtual = registry.makeGauge(
            descriptor: .named("process_virtual_memory_bytes", help: "Virtual memory size in bytes."), labels: [])
        openFDs = registry.makeGauge(
            descriptor: .named("process_open_fds", help: "Number of open file descriptors."), labels: [])
        maxFDs = registry.makeGauge(
            descriptor: .named("process_max_fds", help: "Maximum number of open file descriptors."), labels: [])
        startTime = registry.makeGauge(
            descriptor: .named(
                "process_start_time_seconds",
                help: "Start time of the process since unix epoch in seconds."), labels: [])
        update()
    }

    /// Reads the current figures; a field `/proc` does not give keeps its last value.
    func update() {
        cpuReported.withLock { reported in update(cpuReported: &reported) }
    }

    private func update(cpuReported: inout Double) {
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let page = Double(sysconf(Int32(_SC_PAGESIZE)))
        if let stat = ProcessMetrics.statFields(), stat.count > 21, ticks > 0 {
            // Fields after the command name, numbered as in proc(5) minus 3 (state is index 0).
            let user = Double(stat[11]) ?? 0, system = Double(stat[12]) ?? 0
            let seconds = (user + system) / ticks
            if seconds > cpuReported { cpu.increment(by: seconds - cpuReported); cpuReported = seconds }
            virtual.set(to: Double(stat[20]) ?? 0)
            resident.set(to: (Double(stat[21]) ?? 0) * page)
            if let boot = ProcessMetrics.bootTime(), let started = Double(stat[19]) {
                startTime.set(to: boot + started / ticks)
            }
        }
        if let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            openFDs.set(to: Double(entries.count))
        }
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 { maxFDs.set(to: Double(limit.rlim_cur)) }
    }

    /// `/proc/self/stat` after the parenthesised command name (which may hold spaces).
    static func statFields() -> [Substring]? {
        guard let text = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        return text[text.index(after: close)...].split(separator: " ")
    }

    static func bootTime() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first { $0.hasPrefix("btime ") }.flatMap { Double($0.dropFirst(6)) }
    }
}
