import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The polling service as a swift-service-lifecycle `Service`: every round, reload and the
/// final drain run on a `BlockingLane` (libcurl and SQLite block), the waits between rounds
/// are async and end early on a request (SIGHUP, graceful shutdown).
final class PollingLoop: Service {
    /// One thread touches the service, the lane's; the mutex makes that checkable.
    private let service: Mutex<PollingService>
    private let lane: BlockingLane
    private let requests: ServiceRequests
    private let once: Bool
    private let waitDeliveries: Double
    /// Loads the config again (on the lane); nil when it has errors.
    private let reload: @Sendable () -> sending ServiceParts?

    init(
        _ service: sending PollingService, lane: BlockingLane, requests: ServiceRequests, once: Bool,
        waitDeliveries: Double, reload: @escaping @Sendable () -> sending ServiceParts?
    ) {
        self.service = Mutex(service)
        self.lane = lane
        self.requests = requests
        self.once = once
        self.waitDeliveries = waitDeliveries
        self.reload = reload
    }

    func run() async throws {
        let interval = try await onLane { $0.interval }
        try await onLane { try $0.start() }
        let requests = self.requests
        var rounds = 0
        try await withGracefulShutdownHandler {
            var waiter = ServiceRequests.Waiter(requests)
            var nextPoll = Date()
            while true {
                nextPoll = max(nextPoll, Date().addingTimeInterval(-Double(interval)))
                    .addingTimeInterval(Double(interval))
                try await onLane { try $0.pollOnce() }
                rounds += 1
                if once || requests.stopRequested { break }
                await waiter.wait(max(0, nextPoll.timeIntervalSinceNow))
                if requests.takeReload() {
                    try await onLane { $0.reloaded(self.reload()) }
                }
                if requests.stopRequested { break }
            }
        } onGracefulShutdown: {
            requests.requestStop()
        }
        let done = rounds
        try await onLane { service in
            try service.finish(once: self.once, waitDeliveries: self.waitDeliveries, rounds: done) {
                requests.stopRequested
            }
        }
    }

    /// Runs `body` with the service, on the lane.
    private func onLane<T: Sendable>(_ body: @escaping @Sendable (PollingService) throws -> T) async throws -> T {
        try await lane.run { try self.service.withLock { try body($0) } }
    }
}
