/// Which organizations to poll now, for a service watching many of them: each source has its own
/// interval and next due time; due sources start earliest-due first, at most `concurrency` at
/// once in the replica and `perHost` at once per API host; a source that failed waits longer each
/// time (its interval doubled per failure in a row, capped at `maxBackoff` intervals), and a slow
/// one holds one slot only, so neither delays the others. Pure and jitter-free: the caller passes
/// the time in and runs what `start` hands out, then reports each poll's end with `finished`.
public struct PollScheduler: Sendable {
    /// The bounds of `polling:` in `auditwatch.yml`.
    public struct Limits: Sendable, Equatable {
        /// `polling.concurrency`: polls in flight at once in this replica.
        public var concurrency = 8
        /// `polling.per_host`: polls in flight at once against one API host.
        public var perHost = 4
        /// The longest wait after failures in a row, in intervals of the source.
        public var maxBackoff: Int64 = 10

        public init(concurrency: Int = 8, perHost: Int = 4, maxBackoff: Int64 = 10) {
            self.concurrency = concurrency
            self.perHost = perHost
            self.maxBackoff = maxBackoff
        }
    }

    /// One source as the scheduler sees it.
    public struct Source: Sendable, Equatable {
        public var name: String
        /// The key of `polling.per_host` (`PollScheduler.host(of:)` of its base URL).
        public var host: String
        /// Seconds between polls (at least 1).
        public var interval: Int64

        public init(name: String, host: String, interval: Int64) {
            self.name = name
            self.host = host
            self.interval = max(1, interval)
        }
    }

    /// A poll to run now.
    public struct Start: Sendable, Equatable {
        public var source: String
        /// When it was due: the time it started minus this is how long it waited for a slot.
        public var due: Int64
    }

    /// How a poll ended.
    public enum Outcome: Sendable, Equatable {
        case succeeded
        case failed
    }

    struct Entry: Sendable {
        var source: Source
        /// Position among the sources added: ties of due time start in that order.
        var order: Int
        var nextDue: Int64
        var failures = 0
        /// When the poll in flight started, if one is.
        var running: Int64?
        /// Removed while its poll was in flight: dropped when that poll is reported finished.
        var removed = false
    }

    public let limits: Limits
    private var entries: [String: Entry] = [:]
    private var added = 0
    private var runningPerHost: [String: Int] = [:]
    /// Polls handed out and not finished.
    public private(set) var inFlight = 0

    public init(limits: Limits = Limits()) {
        self.limits = Limits(
            concurrency: max(1, limits.concurrency), perHost: max(1, limits.perHost),
            maxBackoff: max(1, limits.maxBackoff))
    }

    /// The sources scheduled, in the order they were added.
    public var sources: [Source] {
        entries.values.filter { !$0.removed }.sorted { $0.order < $1.order }.map(\.source)
    }

    /// Adds `source`, first due at `due`; a source already known keeps its due time, failures and
    /// poll in flight, and takes the new interval (and host: its poll in flight counts there).
    public mutating func add(_ source: Source, due: Int64) {
        guard var entry = entries[source.name] else {
            entries[source.name] = Entry(source: source, order: added, nextDue: due)
            added += 1
            return
        }
        if entry.running != nil && entry.source.host != source.host {
            release(host: entry.source.host)
            occupy(host: source.host)
        }
        entry.source = source
        entry.removed = false
        entries[source.name] = entry
    }

    /// Forgets a source; a poll of it in flight keeps its slot until it is reported finished.
    public mutating func remove(_ name: String) {
        if entries[name]?.running == nil { entries[name] = nil } else { entries[name]?.removed = true }
    }

    /// Makes the set of sources `sources`: new ones are due at `now`, gone ones removed, the rest
    /// keep their schedule.
    public mutating func update(_ sources: [Source], now: Int64) {
        let names = Set(sources.map(\.name))
        for name in entries.keys where !names.contains(name) { remove(name) }
        for source in sources { add(source, due: now) }
    }

    /// The polls to start at `now`: due sources that `eligible` accepts, earliest due first, while
    /// the replica and their host have a free slot. A source whose host is full waits without
    /// holding back sources of other hosts.
    public mutating func start(now: Int64, eligible: (String) -> Bool = { _ in true }) -> [Start] {
        guard inFlight < limits.concurrency else { return [] }
        let due = entries.values.filter { $0.running == nil && !$0.removed && $0.nextDue <= now }
            .sorted { ($0.nextDue, $0.order) < ($1.nextDue, $1.order) }
        var starts: [Start] = []
        for entry in due {
            guard inFlight < limits.concurrency else { break }
            let host = entry.source.host
            guard runningPerHost[host, default: 0] < limits.perHost, eligible(entry.source.name) else { continue }
            entries[entry.source.name]!.running = now
            occupy(host: host)
            starts.append(Start(source: entry.source.name, due: entry.nextDue))
        }
        return starts
    }

    /// Records the end of a poll that `start` handed out, at `now`. After a success the source is
    /// due one interval after that poll started (at once, behind those already waiting, when that
    /// has passed); after failures in a row it waits 1, 2, 4… intervals from now, at most
    /// `maxBackoff`. Counting from the start spreads sources that were all due at once.
    public mutating func finished(_ name: String, _ outcome: Outcome, now: Int64) {
        guard var entry = entries[name], let started = entry.running else { return }
        entry.running = nil
        release(host: entry.source.host)
        guard !entry.removed else {
            entries[name] = nil
            return
        }
        switch outcome {
        case .succeeded:
            entry.failures = 0
            entry.nextDue = max(started + entry.source.interval, now)
        case .failed:
            entry.failures += 1
            entry.nextDue = now + entry.source.interval * backoff(failures: entry.failures)
        }
        entries[name] = entry
    }

    /// The intervals to wait after `failures` failures in a row: 1, 2, 4, 8…, at most `maxBackoff`.
    public func backoff(failures: Int) -> Int64 {
        guard failures > 1 else { return 1 }
        let doubled: Int64 = failures > 40 ? .max : 1 << Int64(failures - 1)
        return min(doubled, limits.maxBackoff)
    }

    /// When `start` next has something to hand out, if nothing finishes before: the earliest due
    /// time of an idle source that `eligible` accepts and whose host has a free slot (nil when none
    /// or the replica is full: then only a finished poll frees a slot). At or before `now` when
    /// one is due already.
    public func nextStart(eligible: (String) -> Bool = { _ in true }) -> Int64? {
        guard inFlight < limits.concurrency else { return nil }
        var earliest: Int64?
        for entry in entries.values where entry.running == nil && !entry.removed {
            guard entry.nextDue < earliest ?? .max, runningPerHost[entry.source.host, default: 0] < limits.perHost,
                eligible(entry.source.name)
            else { continue }
            earliest = entry.nextDue
        }
        return earliest
    }

    /// When `name` is next due (when it was due, while a poll is in flight), whether a poll of it
    /// is in flight, and its failures in a row.
    public func schedule(of name: String) -> (due: Int64, running: Bool, failures: Int)? {
        entries[name].flatMap { $0.removed ? nil : ($0.nextDue, $0.running != nil, $0.failures) }
    }

    /// Polls in flight against `host`.
    public func inFlight(host: String) -> Int { runningPerHost[host, default: 0] }

    private mutating func occupy(host: String) {
        inFlight += 1
        runningPerHost[host, default: 0] += 1
    }

    private mutating func release(host: String) {
        inFlight -= 1
        runningPerHost[host, default: 1] -= 1
        if runningPerHost[host] == 0 { runningPerHost[host] = nil }
    }

    /// The `polling.per_host` key of a base URL: its host and port, lower case, without user
    /// information or path (`https://api.openai.com/v1` → `api.openai.com`).
    public static func host(of baseURL: String) -> String {
        var rest = Substring(baseURL)
        if let scheme = rest.firstRange(of: "://") { rest = rest[scheme.upperBound...] }
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? authority
        return host.lowercased()
    }
}
