import ServiceLifecycle
import UnixSignals

/// SIGHUP, as a service of the group: each signal asks the polling loop for a reload. The
/// signal is trapped when this is made, before the pid file names the process.
struct SignalReloads: Service {
    private let signals: UnixSignalsSequence
    private let requests: ServiceRequests

    init(requests: ServiceRequests) async {
        signals = await UnixSignalsSequence(trapping: .sighup)
        self.requests = requests
    }

    func run() async throws {
        for await _ in signals.cancelOnGracefulShutdown() { requests.requestReload() }
    }
}
