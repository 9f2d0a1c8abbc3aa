import AuditwatchConfig
public import AuditwatchCore
import Foundation
public import Logging
import ServiceLifecycle
import UnixSignals

/// The long-running service (`run --config` with sources): a swift-service-lifecycle
/// `ServiceGroup` of the health server, the SIGHUP listener and the polling loop. SIGTERM and
/// SIGINT shut it down gracefully (the loop ends its round and drains deliveries, then the
/// health server stops); SIGHUP reloads through `reload`, whose outcome `auditwatch reload`
/// reads from `STATE.reload`. The pid file names the process while it runs.
public enum ServiceRunner {
    /// What the command line adds to the config.
    public struct Options: Sendable {
        public var once: Bool
        public var waitDeliveries: Double
        public var backfillNotify: Bool
        public var version: String
        /// A new connection to the state store, for the console and the silences API on the listener.
        public var openStore: (@Sendable () throws -> any StateStore)?
        /// This replica's name (`run --replica`): with a state that keeps leases (PostgreSQL) it
        /// polls only the sources it holds.
        public var replica: String

        public init(
            once: Bool, waitDeliveries: Double, backfillNotify: Bool, version: String,
            openStore: (@Sendable () throws -> any StateStore)? = nil, replica: String = "auditwatch"
        ) {
            self.openStore = openStore
            self.replica = replica
            self.once = once
            self.waitDeliveries = waitDeliveries
            self.backfillNotify = backfillNotify
            self.version = version
        }
    }

    /// Runs until stopped (or one round, `once`). Throws `ServiceSetupError` (already logged)
    /// when a source cannot start; `reload` loads the config again, throwing when it has errors.
    public static func run(
        _ setup: sending ServiceParts, engine: EngineOptions, options: Options, log: Logger,
        reload: @escaping @Sendable () throws -> sending ServiceParts
    ) async throws {
        let statePath = setup.config.statePath, listen = setup.config.listen
        let metrics = ServiceMetrics(version: options.version)
        let service: PollingService
        do {
            service = try PollingService(service: setup, options: engine, log: log, metrics: metrics)
        } catch let error as ServiceSetupError {
            log.report(error.diagnostics, sources: SourceFiles())
            throw error
        }
        service.backfillNotify = options.backfillNotify
        let readiness = service.readiness
        // Replicas share a PostgreSQL state through leases; the SQLite file has one process (its lock).
        var keeper: LeaseKeeper?
        if setup.store is any LeaseStoring, let connection = try setup.store.connect() as? any StateStore & LeaseStoring
        {
            let made = LeaseKeeper(
                store: connection, replica: options.replica, sources: setup.config.sources.map(\.name),
                settings: setup.config.cluster, metrics: metrics, log: log)
            await made.roundNow()
            service.cluster = made
            keeper = made
        }
        let leaseHealth = keeper?.health
        let requests = ServiceRequests()
        let reloads = await SignalReloads(requests: requests)
        // The pid file is for people and init systems; the lock file is what `reload` trusts.
        let pidFile = PidFile(path: statePath + ".pid")
        pidFile.write()
        defer { pidFile.removeIfOwned() }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let listen {
            var routes: [ConsoleServer.Route] = []
            if let openStore = options.openStore {
                do throws(ServiceSetupError) {
                    routes = try ConsoleServer.make(
                        setup, host: listen.host, metrics: metrics, version: options.version, openStore: openStore
                    ).routes
                } catch {
                    log.report(error.diagnostics, sources: SourceFiles())
                    throw error
                }
            }
            let health = try HealthServer(host: listen.host, port: listen.port, metrics: metrics, routes: routes) {
                LeaseHealth.overall(leases: leaseHealth, service: readiness)
            }
            let port = try await health.start()
            log.info(
                "serving /healthz, /readyz and /metrics, the console at / and /api/v1/silences",
                [("address", "\(listen.host):\(port)")])
            services.append(.init(service: health, successTerminationBehavior: .ignore, serviceName: "health"))
        }
        let lane = BlockingLane(name: "auditwatch poll")
        defer { lane.close() }
        let loop = PollingLoop(
            service, lane: lane, requests: requests, once: options.once, waitDeliveries: options.waitDeliveries,
            metrics: metrics, reported: { $0.write(state: statePath) }
        ) {
            try? reload()
        }
        // Shut down after polling (the group stops services in reverse order): leases are released last.
        if let keeper {
            services.append(.init(service: keeper, successTerminationBehavior: .ignore, serviceName: "leases"))
        }
        services.append(.init(service: reloads, successTerminationBehavior: .ignore, serviceName: "sighup"))
        services.append(
            .init(service: loop, successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "polling"))
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: log))
        try await group.run()
        try? FileManager.default.removeItem(atPath: ReloadOutcome.path(state: statePath))
    }
}
