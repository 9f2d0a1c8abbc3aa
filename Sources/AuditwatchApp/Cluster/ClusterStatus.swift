import AuditwatchConfig
public import AuditwatchCore
import AuditwatchSources
import AuditwatchState
public import Foundation

/// `auditwatch cluster status --config F`: the replicas sharing the config's PostgreSQL state, who
/// holds each organization (token, lease age, time to expiry) and how far behind each one is
/// (seconds since its last successful poll, from the state the holder committed). Ages are on
/// the store's clock.
public struct ClusterStatus: Sendable {
    public struct Replica: Sendable, Equatable {
        public var name: String
        /// Seconds since the store last heard from it.
        public var lastSeenAge: Double
        /// Heard from within the lease period.
        public var live: Bool
    }

    public struct Organization: Sendable, Equatable {
        public var source: String
        /// Nil when nobody holds it (never claimed, released, or expired).
        public var holder: String?
        public var token: Int64?
        /// Seconds since the holder took it.
        public var leaseAge: Double?
        /// Seconds until it ends unless renewed (negative: expired).
        public var expiresIn: Double?
        /// Seconds since the organization's audit log was last read successfully (nil: never).
        public var lag: Double?
    }

    public var replicas: [Replica]
    public var organizations: [Organization]

    /// Reads the status of the state `target`, for the sources `sources` (the config's), with the lease settings.
    public static func read(
        _ target: StateTarget, sources: [String], settings: LeaseSettings
    ) throws(AppError) -> ClusterStatus {
        guard StoreLocation.isDatabaseURL(target.path) else {
            throw .usage(
                "cluster status needs a PostgreSQL state (state: postgresql://…); a SQLite state has one process")
        }
        let store = try target.open()
        guard let leasing = store as? any LeaseStoring else { throw .state("\(store.location) keeps no leases") }
        do throws(StateError) {
            let (rows, now) = try leasing.leases()
            let heartbeats = try leasing.replicas().replicas
            let replicas = heartbeats.map {
                Replica(name: $0.name, lastSeenAge: now - $0.lastSeen, live: $0.isLive(at: now, within: settings.lease))
            }
            let byName = Dictionary(rows.map { ($0.source, $0) }, uniquingKeysWith: { first, _ in first })
            var names = sources
            names += rows.map(\.source).filter { !sources.contains($0) }
            var organizations: [Organization] = []
            for name in names {
                let lease = byName[name]
                let held = lease.flatMap { $0.isFree(at: now) ? nil : $0 }
                let saved = try store.sourceState(name).flatMap {
                    try? JSONDecoder().decode(PollerState.self, from: Data($0.utf8))
                }
                organizations.append(
                    Organization(
                        source: name, holder: held?.holder, token: lease?.token,
                        leaseAge: held.map { now - $0.acquiredAt },
                        expiresIn: lease.map { $0.expiresAt - now }, lag: saved?.lastSuccess.map { now - Double($0) }))
            }
            return ClusterStatus(replicas: replicas, organizations: organizations)
        } catch {
            throw .state(error.message)
        }
    }

    /// For people: the replicas, then one line per organization.
    public func text() -> [String] {
        var lines = ["replicas: \(replicas.filter(\.live).count) live of \(replicas.count)"]
        for replica in replicas {
            lines.append(
                "  \(replica.name)  last seen \(ClusterStatus.age(replica.lastSeenAge)) ago\(replica.live ? "" : "  (gone)")"
            )
        }
        lines.append("organizations: \(organizations.count), \(organizations.filter { $0.holder != nil }.count) held")
        for organization in organizations {
            var line = "  \(organization.source)  "
            if let holder = organization.holder, let token = organization.token {
                line += "held by \(holder)  token \(token)  lease age \(ClusterStatus.age(organization.leaseAge ?? 0))"
                line += "  expires in \(ClusterStatus.age(organization.expiresIn ?? 0))"
            } else {
                line += "not held"
            }
            line += "  lag " + (organization.lag.map(ClusterStatus.age) ?? "never polled")
            lines.append(line)
        }
        return lines
    }

    /// For machines: one JSON object (ages in seconds, with millisecond precision).
    public func json() -> String {
        func number(_ value: Double?) -> String {
            guard let value else { return "null" }
            return String(format: "%.3f", value)
        }
        let replicaObjects = replicas.map {
            "{\"name\":\(JSONWriter.quoted($0.name)),\"last_seen_age\":\(number($0.lastSeenAge)),\"live\":\($0.live)}"
        }
        let organizationObjects = organizations.map {
            "{\"source\":\(JSONWriter.quoted($0.source)),\"holder\":\($0.holder.map(JSONWriter.quoted) ?? "null"),"
                + "\"token\":\($0.token.map(String.init) ?? "null"),\"lease_age\":\(number($0.leaseAge)),"
                + "\"expires_in\":\(number($0.expiresIn)),\"lag\":\(number($0.lag))}"
        }
        return "{\"replicas\":[\(replicaObjects.joined(separator: ","))],"
            + "\"organizations\":[\(organizationObjects.joined(separator: ","))]}"
    }

    static func age(_ seconds: Double) -> String {
        if abs(seconds) < 60 { return String(format: "%.1fs", seconds) }
        return TimeSpan.format(Int64(seconds.rounded()))
    }

    /// `cluster status --config F`: the config's state (with `state_password`, resolved from
    /// `environment`), sources and leases.
    public static func run(
        config path: String, json: Bool, out: any LineOutput,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(AppError) {
        let config = try LoadedConfig.load(path).config
        let status = try read(
            try StateTarget.of(config, resolver: SecretResolver(environment: environment)),
            sources: config.sources.map(\.name), settings: config.cluster)
        if json {
            out.line(status.json())
        } else {
            for line in status.text() { out.line(line) }
        }
        out.flush()
    }
}
