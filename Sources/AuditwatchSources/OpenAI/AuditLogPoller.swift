public import AuditwatchCore

/// What a poller remembers between polls; saved in the state file with the alerts it led to.
public struct PollerState: Codable, Sendable, Equatable {
    /// The newest `effective_at` processed.
    public var cursor: Int64?
    /// Ids already processed, with their time: the look-back window re-reads them, they are skipped.
    public var seen: [String: Int64] = [:]
    public var lastSuccess: Int64?
    /// When polling started failing (nil while it works).
    public var failingSince: Int64?
    /// Whether the "audit stream unavailable" alert went out for the current outage.
    public var unavailableAlerted = false
    /// The latest any event arrived behind one already processed (seconds): how late the API is.
    public var maxLateness: Int64 = 0
    public var lateEvents = 0
    /// Elements of API pages that were not usable events.
    public var invalidEvents = 0
    /// Events dated later than the clock plus `EventTime.futureSkew` when read (optional:
    /// states saved before it decode).
    public var futureEvents: Int?

    public init() {}
}

/// Polls the audit log with no gaps and no duplicates.
///
/// The API is eventually consistent (an event can appear after newer ones were returned), its
/// ids cannot be ordered, and `effective_at` has one-second resolution. So each poll reads the
/// whole time window from the newest processed time minus an overlap, through every page, and
/// keeps only ids it has not processed; the survivors go to the engine oldest first. Either
/// paging direction works (`after=<last id>` as the spec and SDK do, or `before=`).
public struct AuditLogPoller {
    public struct Options: Sendable {
        public var overlap: Int64 = 900
        public var initialLookback: Int64 = 3600
        public var pageSize = 100
        public var eventTypes: [String] = []
        public var projectIDs: [String] = []
        /// Also read tenant-scoped events (a second query with `tenant_only=true`).
        public var tenantEvents = false
        /// `after` or `before`.
        public var pagingParameter = "after"
        public var retries = 5
        public var backoff = BackoffPolicy()
        public var maxPages = 10_000
        public init() {}
    }

    let client: AuditLogClient
    let options: Options
    let sleep: (Double) -> Void
    let random: () -> Double
    /// Whether the service is stopping (then a failing request is not retried).
    let stopping: () -> Bool

    /// `sleep` pauses between retries; once `stopping` says so (the service is stopping, which
    /// also cuts its pause short) a failing request is not retried again.
    public init(
        client: AuditLogClient, options: Options, sleep: @escaping (Double) -> Void,
        random: @escaping () -> Double = { Double.random(in: 0..<1) }, stopping: @escaping () -> Bool = { false }
    ) {
        self.client = client
        self.options = options
        self.sleep = sleep
        self.random = random
        self.stopping = stopping
    }

    /// Reads everything new since the last poll; on success updates `state` and returns the new
    /// events, oldest first.
    public func poll(_ state: inout PollerState, now: Int64) -> Result<[Event], AuditLogClient.Failure> {
        // The cursor never runs ahead of the clock (plus the skew): an event dated 2100 would
        // otherwise start every later window in 2100 and nothing after it would be read again.
        let bound = EventTime.bound(now: now)
        // A cursor an earlier version let run ahead is pulled back to the newest plausible time.
        if let cursor = state.cursor, cursor > bound {
            state.cursor = state.seen.values.filter { $0 <= bound }.max() ?? now
        }
        let since = state.cursor.map { $0 - options.overlap } ?? (now - options.initialLookback)
        var fetched: [Event] = []
        var invalid = 0
        for tenantOnly in options.tenantEvents ? [false, true] : [false] {
            switch fetchWindow(since: since, tenantOnly: tenantOnly, invalid: &invalid) {
            case .success(let events): fetched += events
            case .failure(let failure): return .failure(failure)
            }
        }
        var fresh: [Event] = []
        var batchIDs = Set<String>()
        for event in fetched {
            let id = event.id
            guard state.seen[id] == nil, batchIDs.insert(id).inserted else { continue }
            fresh.append(event)
        }
        fresh.sort { ($0.effectiveAt, $0.id) < ($1.effectiveAt, $1.id) }
        for event in fresh {
            if let cursor = state.cursor, event.effectiveAt < cursor {
                state.lateEvents += 1
                state.maxLateness = max(state.maxLateness, cursor - event.effectiveAt)
            }
            state.seen[event.id] = event.effectiveAt
        }
        state.invalidEvents += invalid
        let future = fresh.reduce(0) { $0 + ($1.effectiveAt > bound ? 1 : 0) }
        if future > 0 { state.futureEvents = (state.futureEvents ?? 0) + future }
        if let newest = fresh.last(where: { $0.effectiveAt <= bound })?.effectiveAt {
            state.cursor = max(state.cursor ?? newest, newest)
        }
        // Ids older than the next window's start can never be read again.
        if let cursor = state.cursor { state.seen = state.seen.filter { $0.value >= cursor - options.overlap } }
        state.lastSuccess = now
        return .success(fresh)
    }

    /// Every event in `[since, until)`, de-duplicated, oldest first (for `fetch` and `backtest`).
    /// `progress` gets the events read so far and the oldest time reached (pages go back in time).
    public func fetch(
        since: Int64, until: Int64?, progress: (Int, Int64) -> Void = { _, _ in }
    ) -> Result<[Event], AuditLogClient.Failure> {
        var all: [Event] = []
        for tenantOnly in options.tenantEvents ? [false, true] : [false] {
            var invalid = 0
            switch fetchWindow(
                since: since, until: until, tenantOnly: tenantOnly, invalid: &invalid,
                progress: { progress(all.count + $0, $1) })
            {
            case .success(let events): all += events
            case .failure(let failure): return .failure(failure)
            }
        }
        var ids = Set<String>()
        return .success(
            all.filter { ids.insert($0.id).inserted }.sorted { ($0.effectiveAt, $0.id) < ($1.effectiveAt, $1.id) })
    }

    /// Every page of one window, retrying transient failures.
    private func fetchWindow(
        since: Int64, until: Int64? = nil, tenantOnly: Bool, invalid: inout Int,
        progress: (Int, Int64) -> Void = { _, _ in }
    ) -> Result<[Event], AuditLogClient.Failure> {
        var query = AuditLogQuery()
        query.since = since
        query.until = until
        query.eventTypes = options.eventTypes
        query.projectIDs = options.projectIDs
        query.tenantOnly = tenantOnly
        query.limit = options.pageSize
        var events: [Event] = []
        var cursors = Set<String>()
        for _ in 0..<options.maxPages {
            var page: AuditLogClient.Page?
            var attempt = 0
            while page == nil {
                switch client.page(query) {
                case .success(let result): page = result
                case .failure(.transient(let message, let retryAfter)):
                    guard attempt < options.retries else {
                        return .failure(.transient(message: message, retryAfter: retryAfter))
                    }
                    sleep(options.backoff.delay(afterAttempt: attempt, retryAfter: retryAfter, random: random()))
                    guard !stopping() else {
                        return .failure(.stopped(message: message + " (not retried: stopping)"))
                    }
                    attempt += 1
                case .failure(let failure):
                    return .failure(failure)
                }
            }
            events += page!.events
            invalid += page!.invalidEvents
            if let oldest = page!.events.map(\.effectiveAt).min() { progress(events.count, oldest) }
            guard page!.hasMore, let last = page!.lastID, !page!.events.isEmpty, cursors.insert(last).inserted else {
                break
            }
            query.cursor = (options.pagingParameter, last)
        }
        return .success(events)
    }
}
