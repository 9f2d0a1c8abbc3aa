import AuditwatchCore

/// The reference of `auditwatch.yml`: every key the decoder accepts, section by section, with
/// its type, default and meaning (`auditwatch config reference`, docs/config.md). The sections
/// name the decoder's own key lists, and a test fails when a key of those lists has no entry
/// here, so the reference cannot fall behind the decoder.
public enum ConfigReference {
    /// One key.
    public struct Entry: Sendable {
        public var key: String
        public var type: String
        /// What applies when the key is left out ("required" when it may not be).
        public var defaultValue: String
        public var text: String
    }

    /// One mapping of the file and the keys its decoder accepts.
    public struct Section: Sendable {
        /// Where it sits: `(top level)`, `server`, `sources.<name>`, `routes[]`…
        public var path: String
        public var text: String
        /// The decoder's own list of the keys it accepts here.
        public var accepted: Set<String>
        public var entries: [Entry]
    }

    private static let source = SourceConfig(
        name: "", adminKey: .environment(""), location: SourceLocation(file: "", line: 0, column: 0))
    private static let service = ServiceConfig(file: "")
    private static let backoff = BackoffPolicy()
    private static func duration(_ seconds: Int64) -> String { TimeSpan.format(seconds) }
    private static func duration(_ seconds: Double) -> String { TimeSpan.format(Int64(seconds)) }
    private static func duration(_ seconds: Int) -> String { TimeSpan.format(Int64(seconds)) }

    /// Every section, in the order of the reference.
    public static let sections: [Section] = [
        Section(
            path: "(top level)", text: "Paths are relative to the config file.", accepted: ConfigDecoder.topKeys,
            entries: [
                Entry(
                    key: "rules", type: "list of paths", defaultValue: "[\(service.rulePaths.joined(separator: ", "))]",
                    text: "Rule files or directories (every `*.yml`/`*.yaml` below a directory, in path order)."),
                Entry(
                    key: "state", type: "path or URL", defaultValue: service.statePath,
                    text:
                        "Where correlation windows, poll positions, alerts and the delivery outbox are kept: a SQLite file (one writer at a time), or a `postgresql://` URL that replicas share (docs/scaling.md)."
                ),
                Entry(
                    key: "state_password", type: "secret", defaultValue: "none (the URL's, or libpq's own sources)",
                    text:
                        "The password of a PostgreSQL `state:`, for every command that opens the config's state (`run`, `alerts`, `silence`, `migrate`, `cluster status`)."
                ),
                Entry(
                    key: "cluster", type: "mapping", defaultValue: "see below",
                    text: "Leases of replicas sharing a PostgreSQL state (each polls the organizations it holds)."),
                Entry(
                    key: "sources", type: "map of name → source", defaultValue: "none",
                    text: "Organizations whose audit log `run --config` polls; the name is the alert's `source`."),
                Entry(
                    key: "sources_dir", type: "path", defaultValue: "none",
                    text:
                        "A directory of organization files, one source each (see `sources_dir/*.yml`); they join `sources:`, and SIGHUP picks up files added, removed or changed."
                ),
                Entry(
                    key: "notifiers", type: "map of name → notifier", defaultValue: "none", text: "Where alerts can go."
                ),
                Entry(
                    key: "routes", type: "list of routes", defaultValue: "[]",
                    text:
                        "Which notifiers an alert goes to: the first route that matches wins (unless it says `continue: true`)."
                ),
                Entry(
                    key: "default_notifiers", type: "list of notifier names", defaultValue: "[]",
                    text: "For alerts no route matched. A rule's own `notify: [...]` bypasses routes and defaults."),
                Entry(key: "delivery", type: "mapping", defaultValue: "see below", text: "Retries and dead letters."),
                Entry(
                    key: "http", type: "mapping", defaultValue: "see below",
                    text: "Transport of every outbound request (API and notifiers)."),
                Entry(key: "engine", type: "mapping", defaultValue: "see below", text: "Detection engine settings."),
                Entry(
                    key: "polling", type: "mapping", defaultValue: "see below",
                    text: "How many organizations `run --config` polls at once."),
                Entry(
                    key: "server", type: "mapping", defaultValue: "off",
                    text: "The `/healthz`, `/readyz` and `/metrics` endpoint of `run --config`."),
                Entry(
                    key: "logging", type: "mapping", defaultValue: "see below",
                    text: "The service's log lines on standard error."),
                Entry(
                    key: "placeholders", type: "map of name → list of values", defaultValue: "the rule files' own",
                    text:
                        "Values of the rules' `expand` placeholders (`%name%`); each replaces the pack's default (docs/rules.md lists them)."
                ),
                Entry(
                    key: "placeholders_file", type: "path", defaultValue: "none",
                    text: "More placeholder values, in a file of `placeholders: {name: [values]}`; the inline ones win."
                ),
                Entry(
                    key: "calendars", type: "map of name → calendar settings", defaultValue: "the rule files' own",
                    text: "Per calendar of the rules, the keys to replace (see `calendars.<name>`)."),
                Entry(
                    key: "disabled_rules", type: "list of rule ids or names", defaultValue: "[]",
                    text: "Rules loaded and checked but never run."),
                Entry(
                    key: "rule_levels", type: "map of rule id → level", defaultValue: "{}",
                    text: "Levels in place of the rules' own, e.g. `{organization_settings_updated: informational}`."),
            ]),
        Section(
            path: "calendars.<name>",
            text: "Replaces these keys of a calendar the rules define; the rest stays the rule files'.",
            accepted: RuleTuning.calendarKeys,
            entries: [
                Entry(
                    key: "location", type: "IANA time zone", defaultValue: "the calendar's",
                    text: "Where its times are read, e.g. `Europe/Berlin`."),
                Entry(
                    key: "time_intervals", type: "list of intervals", defaultValue: "the calendar's",
                    text: "The calendar's times (weekdays, times of day, as in a rule file's calendar)."),
                Entry(
                    key: "holidays", type: "list of dates", defaultValue: "the calendar's",
                    text: "Days outside the calendar."),
            ]),
        Section(
            path: "sources.<name>", text: "One OpenAI organization (Admin API `GET /v1/organization/audit_logs`).",
            accepted: ConfigDecoder.sourceKeys.union(ConfigDecoder.organizationKeys),
            entries: [
                Entry(
                    key: "type", type: "`openai`", defaultValue: "openai",
                    text: "The kind of source; only OpenAI audit logs are read."),
                Entry(
                    key: "admin_key", type: "secret", defaultValue: "required",
                    text: "An Admin API key: `${ENV_VAR}`, `{env: NAME}` or `{file: /path}`, never the key itself."),
                Entry(
                    key: "base_url", type: "http(s) URL", defaultValue: source.baseURL,
                    text: "The API's base URL; a local stand-in (`http://127.0.0.1:8080/v1`) to try things safely."),
                Entry(
                    key: "poll_interval", type: "duration", defaultValue: duration(source.pollInterval),
                    text: "Time between polls."),
                Entry(
                    key: "page_size", type: "integer 1–100", defaultValue: String(source.pageSize),
                    text: "Events per API page (the API's limit is 100)."),
                Entry(
                    key: "overlap", type: "duration", defaultValue: duration(source.overlap),
                    text:
                        "How far back each poll looks again, for events the API shows late; events already seen are skipped by id."
                ),
                Entry(
                    key: "start", type: "duration", defaultValue: duration(source.start),
                    text:
                        "How far back the very first poll reads. Its alerts are recorded but not sent unless `run --backfill-notify`."
                ),
                Entry(
                    key: "event_types", type: "list of event types", defaultValue: "all",
                    text: "Poll only these event types."),
                Entry(
                    key: "project_ids", type: "list of project ids", defaultValue: "all",
                    text: "Poll only events of these projects."),
                Entry(
                    key: "tenant_events", type: "boolean", defaultValue: String(source.tenantEvents),
                    text: "Also poll tenant-scoped events (`tenant_only=true`)."),
                Entry(
                    key: "paging", type: "`after` or `before`", defaultValue: source.pagingParameter,
                    text: "The query parameter the API pages with."),
                Entry(
                    key: "unavailable_after", type: "duration", defaultValue: duration(source.unavailableAfter),
                    text:
                        "After failing this long, the source raises its own \"audit stream unavailable\" alert (once per outage)."
                ),
                Entry(
                    key: "placeholders", type: "map of name → list of values", defaultValue: "the config's",
                    text:
                        "This organization's placeholder values; each replaces the config's (and the pack's) value of that name."
                ),
                Entry(
                    key: "calendars", type: "map of name → calendar settings", defaultValue: "the config's",
                    text: "This organization's calendar keys (see `calendars.<name>`), over the config's key by key."),
                Entry(
                    key: "time_zone", type: "IANA time zone", defaultValue: "the calendars'",
                    text:
                        "The `location` of every calendar this organization's `calendars:` do not place, e.g. `America/New_York`."
                ),
                Entry(
                    key: "disabled_rules", type: "list of rule ids or names", defaultValue: "[]",
                    text: "More rules this organization never runs (added to the config's)."),
                Entry(
                    key: "rule_levels", type: "map of rule id → level", defaultValue: "{}",
                    text: "This organization's levels, over the config's."),
                Entry(
                    key: "notifiers", type: "list of notifier names", defaultValue: "the routes",
                    text:
                        "Where this organization's alerts go, in place of `routes` and `default_notifiers` (a rule's own `notify:` still applies)."
                ),
            ]),
        Section(
            path: "sources_dir/*.yml",
            text:
                "One organization per file (`*.yml`/`*.yaml` directly in the directory, hidden files left out): every key of "
                + "`sources.<name>`, and its name. Organizations whose tuning (the config's, then their own) is equal share "
                + "one compiled rule set. A name given twice across files and `sources:` is an error.",
            accepted: ConfigDecoder.organizationFileKeys.subtracting(
                ConfigDecoder.sourceKeys.union(ConfigDecoder.organizationKeys)),
            entries: [
                Entry(
                    key: "name", type: "string", defaultValue: "the file's name without `.yml`",
                    text: "The organization's source name (the alert's `source`, the state's key).")
            ]),
        Section(
            path: "notifiers.<name>",
            text: "One target. Secrets (`url` of chat webhooks, `routing_key`, `secret`) are "
                + "`${ENV_VAR}`, `{env: NAME}` or `{file: /path}`, never the value.",
            accepted: ConfigDecoder.notifierKeys,
            entries: [
                Entry(
                    key: "type", type: NotifierKind.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", "),
                    defaultValue: "required",
                    text:
                        "`stdout` prints the alert JSON of `run --output jsonl`; the others post to the target's webhook API."
                ),
                Entry(
                    key: "url", type: "secret (slack, discord, teams); URL (webhook, pagerduty)",
                    defaultValue: "required; pagerduty: https://events.pagerduty.com/v2/enqueue",
                    text:
                        "The webhook URL. A generic webhook's URL may be written as it is; Teams needs a Workflows URL."
                ),
                Entry(
                    key: "routing_key", type: "secret", defaultValue: "required for pagerduty",
                    text: "The PagerDuty Events API v2 routing key."),
                Entry(
                    key: "secret", type: "secret (`whsec_…`)", defaultValue: "unsigned",
                    text: "Generic webhooks: the Standard Webhooks signing secret."),
                Entry(
                    key: "rate_limit", type: "count/unit (`1/s`, `120/m`)",
                    defaultValue: NotifierKind.allCases.filter { $0 != .stdout }.map {
                        "\($0.rawValue) \(rate(ConfigDecoder.defaultRates[$0] ?? 1))"
                    }
                    .joined(separator: ", "),
                    text: "The most requests sent, kept under the target's documented limit."),
                Entry(
                    key: "template", type: "template", defaultValue: "the rule's summary",
                    text:
                        "The message text in place of the alert's summary; see Templates below (no event fields: deliveries do not keep the event)."
                ),
            ]),
        Section(
            path: "routes[]", text: "One route; every condition it gives must hold.", accepted: ConfigDecoder.routeKeys,
            entries: [
                Entry(
                    key: "levels", type: "list of levels", defaultValue: "any",
                    text: RuleLevel.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", ") + "."),
                Entry(
                    key: "tags", type: "list of tags", defaultValue: "any",
                    text: "The alert's rule has one of these tags."),
                Entry(
                    key: "rules", type: "list of rule ids", defaultValue: "any",
                    text: "The alert is one of these rules'."),
                Entry(
                    key: "notifiers", type: "list of notifier names", defaultValue: "required",
                    text: "Where the alert goes."),
                Entry(
                    key: "continue", type: "boolean", defaultValue: "false",
                    text: "Go on to the next routes after this one matched."),
            ]),
        Section(
            path: "delivery",
            text: "Exponential backoff with full jitter, capped; a target's `Retry-After` is honoured.",
            accepted: ConfigDecoder.deliveryKeys,
            entries: [
                Entry(
                    key: "retry_for", type: "duration", defaultValue: duration(backoff.retryFor),
                    text:
                        "After this long failing, a delivery is dead-lettered (`auditwatch alerts retry` puts it back)."
                ),
                Entry(
                    key: "backoff_base", type: "duration", defaultValue: duration(backoff.base),
                    text: "The first retry's backoff."),
                Entry(
                    key: "backoff_cap", type: "duration", defaultValue: duration(backoff.cap),
                    text: "The longest backoff."),
                Entry(
                    key: "max_retry_after", type: "duration", defaultValue: duration(backoff.maxRetryAfter),
                    text: "The longest `Retry-After` honoured."),
                Entry(
                    key: "drain", type: "duration", defaultValue: duration(service.drain),
                    text: "On SIGTERM the service keeps sending this long, then leaves the rest in the outbox."),
            ]),
        Section(
            path: "http", text: "TLS verification is always on; proxies from the environment are never used.",
            accepted: ConfigDecoder.httpKeys,
            entries: [
                Entry(
                    key: "ca_bundle", type: "path", defaultValue: "the system's CA store",
                    text: "A PEM bundle, for a private CA."),
                Entry(key: "proxy", type: "URL", defaultValue: "none", text: "The only proxy used."),
                Entry(
                    key: "connect_timeout", type: "duration", defaultValue: duration(service.connectTimeout),
                    text: "Time to connect."),
                Entry(
                    key: "timeout", type: "duration", defaultValue: duration(service.timeout),
                    text: "Time for a whole request (the delivery latency histogram's buckets reach past it)."),
            ]),
        Section(
            path: "engine", text: "", accepted: ConfigDecoder.engineKeys,
            entries: [
                Entry(
                    key: "lateness", type: "duration", defaultValue: duration(service.lateness),
                    text: "How late an event may arrive and still count in its correlation window.")
            ]),
        Section(
            path: "polling",
            text:
                "Each source is polled at its own `poll_interval`, earliest due first; a slow one holds one slot, a failing one waits 1, 2, 4… intervals (at most 10) between tries, so neither delays the others. Read at start: a reload keeps the running bounds.",
            accepted: ConfigDecoder.pollingKeys,
            entries: [
                Entry(
                    key: "concurrency", type: "integer 1–\(ConfigDecoder.maxConcurrency)",
                    defaultValue: String(service.polling.concurrency),
                    text: "Polls in flight at once in this process (one thread each)."),
                Entry(
                    key: "per_host", type: "integer 1–\(ConfigDecoder.maxConcurrency)",
                    defaultValue: String(service.polling.perHost),
                    text: "Polls in flight at once against one API host (the host and port of `base_url`)."),
            ]),
        Section(
            path: "cluster",
            text:
                "Replicas (`run --replica NAME`) on one PostgreSQL state split the organizations by leases; the SQLite state has one process.",
            accepted: ConfigDecoder.clusterKeys,
            entries: [
                Entry(
                    key: "lease", type: "duration", defaultValue: duration(service.cluster.lease),
                    text: "How long a lease lasts unless renewed: a stopped replica's organizations move within it."),
                Entry(
                    key: "renew", type: "duration", defaultValue: "a third of `lease`",
                    text: "How often a replica renews its leases (shorter than `lease`)."),
            ]),
        Section(
            path: "server", text: "", accepted: ConfigDecoder.serverKeys,
            entries: [
                Entry(
                    key: "listen", type: "IPv4 address:port", defaultValue: "off",
                    text:
                        "Where `/healthz`, `/readyz`, `/metrics`, the console (`/`) and the silences API are served, e.g. `127.0.0.1:9464` (port 0: any free port)."
                ),
                Entry(
                    key: "token", type: "secret", defaultValue: "none",
                    text:
                        "The bearer token of `/api/v1/silences` and of every change made in the console: `${ENV_VAR}` or `{file: /path}`. Without it the API and the console's forms refuse changes."
                ),
            ]),
        Section(
            path: "logging", text: "`run --log-format` and `--log-level` override these.",
            accepted: ConfigDecoder.loggingKeys,
            entries: [
                Entry(
                    key: "format", type: "`text` or `json`", defaultValue: service.logFormat,
                    text: "One line per event; JSON with stable keys."),
                Entry(
                    key: "level", type: "`debug`, `info`, `warning` or `error`", defaultValue: service.logLevel,
                    text: "The least severe level shown."),
            ]),
        Section(
            path: "secret",
            text:
                "The mapping forms of a secret (`admin_key`, `url`, `routing_key`, `secret`, `server.token`); `${NAME}` is short for `{env: NAME}`.",
            accepted: ConfigDecoder.secretKeys,
            entries: [
                Entry(
                    key: "env", type: "variable name", defaultValue: "—", text: "Read from this environment variable."),
                Entry(
                    key: "file", type: "path", defaultValue: "—",
                    text: "Read from this file (surrounding whitespace trimmed), e.g. a mounted secret."),
            ]),
    ]

    /// What a notifier `template` may say: `{placeholder|filter|…}`.
    public static let templatePlaceholders: [(String, String)] = [
        ("{alert.count}", "events the alert stands for"),
        ("{alert.distinct}", "distinct values counted (value_count correlations)"),
        ("{alert.first_at}", "time of the first event (ISO 8601, UTC)"),
        ("{alert.last_at}", "time of the event that met the condition"),
        ("{rule.id}", "the rule's id"), ("{rule.title}", "the rule's title"), ("{rule.level}", "the rule's level"),
        ("{rule.timespan}", "a correlation's window"),
        ("{group.FIELD}", "a group-by value of the alert, e.g. `{group.actor.email}`"),
        ("{alert.summary}", "the rule's summary of this alert (notifier templates only)"),
        ("{alert.source}", "the organization (source) the alert came from (notifier templates only)"),
        ("{alert.id}", "the alert's id (notifier templates only)"),
    ]
    public static let templateFilters: [(String, String)] = [
        ("default:TEXT", "TEXT when the value is missing"), ("truncate:N", "at most N characters"),
        ("upper", "upper case"), ("lower", "lower case"),
        ("time", "a Unix time or ISO 8601 value shown as ISO 8601 in UTC"),
        ("time:ZONE", "the same in an IANA time zone, with its offset (`time:Europe/Paris`)"),
    ]

    private static func rate(_ perSecond: Double) -> String {
        perSecond >= 1 && perSecond == perSecond.rounded()
            ? "\(Int(perSecond))/s" : "\(Int((perSecond * 60).rounded()))/m"
    }

    /// The reference as Markdown (docs/config.md is this text).
    public static func markdown() -> String {
        var lines = [
            "# auditwatch.yml reference",
            "",
            "Generated by `auditwatch config reference` from the config decoder's own key lists; a test keeps this file equal to",
            "its output. Durations are written like `30s`, `15m`, `1h`, `7d`. An unknown key is an error, with a did-you-mean.",
        ]
        for section in sections {
            lines += ["", "## `\(section.path)`", ""]
            if !section.text.isEmpty { lines += [section.text, ""] }
            lines += ["| key | type | default | what |", "|---|---|---|---|"]
            for entry in section.entries {
                lines.append("| `\(entry.key)` | \(entry.type) | \(entry.defaultValue) | \(entry.text) |")
            }
        }
        lines += [
            "", "## Templates", "",
            "A notifier's `template` (and a rule's `summary`, which may also read event fields by path) is text with",
            "`{placeholder|filter|…}` parts.", "", "| placeholder | what |", "|---|---|",
        ]
        lines += templatePlaceholders.map { "| `\($0.0)` | \($0.1) |" }
        lines += ["", "| filter | what |", "|---|---|"]
        lines += templateFilters.map { "| `\($0.0)` | \($0.1) |" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Keys the decoder accepts that have no entry, and entries for keys it does not accept.
    public static func mismatches(in sections: [Section] = sections) -> [String] {
        sections.flatMap { section -> [String] in
            let documented = Set(section.entries.map(\.key))
            return section.accepted.subtracting(documented).sorted().map {
                "\(section.path): '\($0)' is accepted but undocumented"
            }
                + documented.subtracting(section.accepted).sorted().map {
                    "\(section.path): '\($0)' is documented but not accepted"
                }
        }
    }
}
