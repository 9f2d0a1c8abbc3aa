public import AuditwatchCore
import Foundation

/// Reads `auditwatch.yml` with located diagnostics, like rule files.
public enum ConfigDecoder {
    static let topKeys: Set<String> = [
        "rules", "state", "notifiers", "routes", "default_notifiers", "delivery", "http", "engine", "sources",
        "sources_dir", "server", "logging", "polling", "state_password", "cluster",
        "placeholders", "placeholders_file", "calendars", "disabled_rules", "rule_levels",
    ]
    static let notifierKeys: Set<String> = ["type", "url", "routing_key", "secret", "rate_limit", "template"]
    static let routeKeys: Set<String> = ["levels", "tags", "rules", "notifiers", "continue"]
    static let serverKeys: Set<String> = ["listen", "token"]
    static let loggingKeys: Set<String> = ["format", "level"]
    static let deliveryKeys: Set<String> = ["retry_for", "backoff_base", "backoff_cap", "max_retry_after", "drain"]
    static let httpKeys: Set<String> = ["ca_bundle", "proxy", "connect_timeout", "timeout"]
    static let engineKeys: Set<String> = ["lateness"]
    static let pollingKeys: Set<String> = ["concurrency", "per_host"]
    /// The most polls in flight `polling.concurrency` and `polling.per_host` allow (one thread each).
    static let maxConcurrency = 256
    static let clusterKeys: Set<String> = ["lease", "renew"]
    /// `{env: NAME}` or `{file: PATH}`, wherever a secret goes.
    static let secretKeys: Set<String> = ["env", "file"]
    static let defaultRates: [NotifierKind: Double] = [
        .slack: 1, .discord: 2, .teams: 4, .pagerduty: 2, .webhook: 10, .stdout: 1_000_000,
    ]

    /// `zones` resolves the time zones of templates' `time:` filters.
    public static func decode(
        _ document: DocumentNode, file: String, zones: @escaping (String) -> ZoneRules? = { $0 == "UTC" ? .utc : nil }
    ) -> (config: ServiceConfig?, diagnostics: [Diagnostic]) {
        var config = ServiceConfig(file: file)
        var reader = MappingReader(document, what: "auditwatch.yml", known: topKeys)
        guard document.mapping != nil else { return (nil, reader.diagnostics) }
        if let server = reader["server"] {
            var section = MappingReader(server, what: "'server'", known: serverKeys)
            if let listen = section.string("listen") {
                let parts = listen.split(separator: ":")
                if parts.count == 2, let port = UInt16(parts[1]), !parts[0].isEmpty,
                    parts[0].split(separator: ".").count == 4
                {
                    config.listen = (String(parts[0]), port)
                } else {
                    section.diagnostics.append(
                        .error(
                            "'listen' is an IPv4 address and port, like 127.0.0.1:9464", at: section["listen"]!.location
                        ))
                }
            }
            if let token = section["token"] {
                config.serverToken = SecretReference.decode(
                    token, key: "token", ruleID: nil,
                    credential:
                        "'token' is a credential: write ${AUDITWATCH_TOKEN} or {file: /path}, never the token itself",
                    diagnostics: &section.diagnostics)
            }
            reader.diagnostics += section.diagnostics
        }
        if let logging = reader["logging"] {
            var section = MappingReader(logging, what: "'logging'", known: loggingKeys)
            if let format = section.string("format") {
                if ["text", "json"].contains(format) {
                    config.logFormat = format
                } else {
                    section.diagnostics.append(.error("'format' is text or json", at: section["format"]!.location))
                }
            }
            if let level = section.string("level") {
                if ["debug", "info", "warning", "error"].contains(level) {
                    config.logLevel = level
                } else {
                    section.diagnostics.append(
                        .error("'level' is debug, info, warning or error", at: section["level"]!.location))
                }
            }
            reader.diagnostics += section.diagnostics
        }
        if reader["rules"] != nil { config.rulePaths = reader.strings("rules") }
        if let state = reader.string("state") { config.statePath = state }
        if let password = reader["state_password"] {
            config.statePassword = SecretReference.decode(
                password, key: "state_password", ruleID: nil,
                credential:
                    "'state_password' is a credential: write ${AUDITWATCH_STATE_PASSWORD} or {file: /path}, never the password itself",
                diagnostics: &reader.diagnostics)
        }
        if let cluster = reader["cluster"] { decodeCluster(cluster, into: &config, diagnostics: &reader.diagnostics) }
        // Every name the file defines, decoded or not: a notifier with a bad `type` has its own error,
        // and routes naming it must not add "unknown notifier" to it.
        var defined: [String] = []
        if let notifiers = reader["notifiers"] {
            let names = MappingReader(notifiers, what: "'notifiers'", known: nil)
            reader.diagnostics += names.diagnostics
            defined = names.orderedKeys
            for name in names.orderedKeys {
                if let notifier = decodeNotifier(
                    name, names[name]!, at: names.keyLocation(name)!, zones: zones, diagnostics: &reader.diagnostics)
                {
                    config.notifiers.append(notifier)
                }
            }
        }
        if let sources = reader["sources"] {
            let names = MappingReader(sources, what: "'sources'", known: nil)
            reader.diagnostics += names.diagnostics
            for name in names.orderedKeys {
                if let source = decodeSource(
                    name, names[name]!, at: names.keyLocation(name)!, zones: zones, diagnostics: &reader.diagnostics)
                {
                    config.sources.append(source)
                }
            }
        }
        config.sourcesDir = reader.string("sources_dir").map { Located($0, at: reader["sources_dir"]!.location) }
        config.notifierNames = defined
        let known = Set(defined)
        func checkNames(_ names: [String], at location: SourceLocation) {
            for name in names where !known.contains(name) {
                reader.diagnostics.append(
                    .error(
                        "unknown notifier '\(name)'\(Suggestions.didYouMean(name, in: known.sorted()))", at: location))
            }
        }
        if let routes = reader["routes"] {
            for item in routes.sequence ?? [] {
                var route = MappingReader(item, what: "a route", known: routeKeys)
                var levels: Set<RuleLevel>?
                if route["levels"] != nil {
                    levels = []
                    for text in route.strings("levels") {
                        if let level = RuleLevel(rawValue: text) {
                            levels!.insert(level)
                        } else {
                            route.diagnostics.append(
                                .error(
                                    "unknown level '\(text)'\(Suggestions.didYouMean(text, in: RuleLevel.allCases.map(\.rawValue)))",
                                    at: route["levels"]!.location))
                        }
                    }
                }
                let notifiers = route.strings("notifiers")
                if notifiers.isEmpty {
                    route.diagnostics.append(.error("a route needs 'notifiers'", at: item.location))
                }
                checkNames(notifiers, at: route["notifiers"]?.location ?? item.location)
                config.routes.append(
                    Router.Route(
                        levels: levels, tags: route["tags"] == nil ? nil : route.strings("tags"),
                        rules: route["rules"] == nil ? nil : Set(route.strings("rules")), notifiers: notifiers,
                        continueMatching: route.bool("continue") ?? false, location: item.location))
                reader.diagnostics += route.diagnostics
            }
            if routes.sequence == nil {
                reader.diagnostics.append(.error("'routes' must be a list", at: routes.location))
            }
        }
        config.defaultNotifiers = reader.strings("default_notifiers")
        checkNames(config.defaultNotifiers, at: reader["default_notifiers"]?.location ?? document.location)
        for source in config.sources {
            reader.diagnostics += unknownNotifiers(of: source, known: defined)
        }
        if let delivery = reader["delivery"] {
            var section = MappingReader(delivery, what: "'delivery'", known: deliveryKeys)
            func seconds(_ key: String) -> Double? {
                guard let text = section.string(key) else { return nil }
                let parsed = TimeSpan.parse(text)
                if let error = parsed.error { section.diagnostics.append(.error(error, at: section[key]!.location)) }
                return parsed.seconds.map(Double.init)
            }
            if let value = seconds("retry_for") { config.backoff.retryFor = value }
            if let value = seconds("backoff_base") { config.backoff.base = value }
            if let value = seconds("backoff_cap") { config.backoff.cap = value }
            if let value = seconds("max_retry_after") { config.backoff.maxRetryAfter = value }
            if let value = seconds("drain") { config.drain = value }
            reader.diagnostics += section.diagnostics
        }
        if let http = reader["http"] {
            var section = MappingReader(http, what: "'http'", known: httpKeys)
            config.caBundle = section.string("ca_bundle")
            config.proxy = section.string("proxy")
            for key in ["connect_timeout", "timeout"] {
                guard let text = section.string(key) else { continue }
                let parsed = TimeSpan.parse(text)
                if let error = parsed.error { section.diagnostics.append(.error(error, at: section[key]!.location)) }
                if let value = parsed.seconds {
                    if key == "timeout" { config.timeout = Int(value) } else { config.connectTimeout = Int(value) }
                }
            }
            reader.diagnostics += section.diagnostics
        }
        if let engine = reader["engine"] {
            var section = MappingReader(engine, what: "'engine'", known: engineKeys)
            if let text = section.string("lateness") {
                let parsed = TimeSpan.parse(text)
                if let error = parsed.error {
                    section.diagnostics.append(.error(error, at: section["lateness"]!.location))
                }
                config.lateness = parsed.seconds ?? config.lateness
            }
            reader.diagnostics += section.diagnostics
        }
        if let polling = reader["polling"] {
            var section = MappingReader(polling, what: "'polling'", known: pollingKeys)
            func bound(_ key: String) -> Int? {
                guard let node = section[key] else { return nil }
                if case .int(let value)? = node.scalar?.resolved, (1...Int64(maxConcurrency)).contains(value) {
                    return Int(value)
                }
                section.diagnostics.append(
                    .error("'\(key)' is a whole number from 1 to \(maxConcurrency)", at: node.location))
                return nil
            }
            if let value = bound("concurrency") { config.polling.concurrency = value }
            if let value = bound("per_host") { config.polling.perHost = value }
            reader.diagnostics += section.diagnostics
        }
        decodeTuning(&reader, into: &config)
        return (reader.diagnostics.hasErrors ? nil : config, reader.diagnostics)
    }

    /// `cluster: { lease: 30s, renew: 10s }` (renew defaults to a third of the lease, and must be shorter).
    private static func decodeCluster(
        _ node: DocumentNode, into config: inout ServiceConfig, diagnostics: inout [Diagnostic]
    ) {
        var section = MappingReader(node, what: "'cluster'", known: clusterKeys)
        defer { diagnostics += section.diagnostics }
        func seconds(_ key: String) -> Double? {
            guard let text = section.string(key) else { return nil }
            let parsed = TimeSpan.parse(text)
            if let error = parsed.error { section.diagnostics.append(.error(error, at: section[key]!.location)) }
            return parsed.seconds.map(Double.init)
        }
        let lease = seconds("lease"), renew = seconds("renew")
        let settings = LeaseSettings(lease: lease ?? 30, renew: renew)
        guard settings.lease >= 1, settings.renew > 0, settings.renew < settings.lease else {
            section.diagnostics.append(
                .error(
                    "'cluster': the lease is at least 1s and 'renew' shorter than it (default: a third of it)",
                    at: node.location))
            return
        }
        config.cluster = settings
    }

    /// `placeholders`, `placeholders_file`, `calendars`, `disabled_rules` and `rule_levels`: the
    /// shipped pack fitted to the organization without editing it.
    private static func decodeTuning(_ reader: inout MappingReader, into config: inout ServiceConfig) {
        config.tuning = decodeTuning(&reader, zones: { _ in nil })
        config.placeholdersFile = reader.string("placeholders_file")
    }

    /// The tuning keys of a mapping (the config's top level, or an organization): `placeholders`,
    /// `calendars`, `disabled_rules`, `rule_levels` and, where the mapping accepts it, `time_zone`.
    static func decodeTuning(_ reader: inout MappingReader, zones: (String) -> ZoneRules?) -> RuleTuning {
        var tuning = RuleTuning()
        if let node = reader["placeholders"] {
            tuning.placeholders = RuleTuning.decodePlaceholders(node, diagnostics: &reader.diagnostics)
        }
        if let node = reader["calendars"] {
            let names = MappingReader(node, what: "'calendars'", known: nil)
            reader.diagnostics += names.diagnostics
            for name in names.orderedKeys {
                let node = names[name]!
                let settings = MappingReader(
                    node, what: "calendar '\(name)'", known: RuleTuning.calendarKeys, ruleID: name)
                reader.diagnostics += settings.diagnostics
                if !settings.diagnostics.hasErrors {
                    tuning.calendars[name] = RuleTuning.CalendarSettings(node: node)
                }
            }
        }
        if let node = reader["disabled_rules"] {
            for item in node.sequence ?? [node] {
                guard let text = item.scalar?.text, item.scalar?.resolved != .null else {
                    reader.diagnostics.append(.error("'disabled_rules' is a list of rule ids", at: item.location))
                    continue
                }
                tuning.disabledRules.append(Located(text, at: item.location))
            }
        }
        if let node = reader["rule_levels"] {
            let rules = MappingReader(node, what: "'rule_levels'", known: nil)
            reader.diagnostics += rules.diagnostics
            for rule in rules.orderedKeys {
                let value = rules[rule]!
                guard let text = value.scalar?.text, let level = RuleLevel(rawValue: text) else {
                    let written = value.scalar?.text ?? value.kindDescription
                    let hint = Suggestions.didYouMean(written, in: RuleLevel.allCases.map(\.rawValue))
                    reader.diagnostics.append(
                        .error(
                            "unknown level '\(written)' for rule '\(rule)'\(hint)",
                            at: value.location, ruleID: rule))
                    continue
                }
                let reference = Located(rule, at: rules.keyLocation(rule)!)
                tuning.ruleLevels.append(RuleTuning.LevelOverride(rule: reference, level: level))
            }
        }
        if let zone = reader.string("time_zone") {
            let location = reader["time_zone"]!.location
            if zones(zone) == nil {
                reader.diagnostics.append(.error("unknown time zone '\(zone)' in 'time_zone'", at: location))
            } else {
                tuning.timeZone = Located(zone, at: location)
            }
        }
        return tuning
    }

    /// An organization's `notifiers` that the config does not define.
    static func unknownNotifiers(of source: SourceConfig, known: [String]) -> [Diagnostic] {
        guard let names = source.notifiers else { return [] }
        return names.filter { !known.contains($0) }.map { name in
            .error(
                "unknown notifier '\(name)'\(Suggestions.didYouMean(name, in: known.sorted()))",
                at: source.notifiersLocation ?? source.location, ruleID: source.name)
        }
    }

    /// What an organization may set beside its source keys, in `sources:` and in `sources_dir` files.
    static let organizationKeys: Set<String> = [
        "placeholders", "calendars", "time_zone", "disabled_rules", "rule_levels", "notifiers",
    ]
    /// The keys of one file of `sources_dir`: a source's, the organization's, and its `name`.
    static let organizationFileKeys = sourceKeys.union(organizationKeys).union(["name"])

    /// One file of `sources_dir`: an organization, named by its `name` (the file's name without
    /// `.yml` when left out). Unknown notifiers are checked by the loader, which knows the config's.
    public static func decodeOrganization(
        _ document: DocumentNode, file: String, zones: @escaping (String) -> ZoneRules? = { $0 == "UTC" ? .utc : nil }
    ) -> (source: SourceConfig?, diagnostics: [Diagnostic]) {
        let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        guard document.mapping != nil else {
            return (
                nil,
                [
                    .error(
                        "an organization file must be a mapping, found \(document.kindDescription)",
                        at: document.location)
                ]
            )
        }
        var diagnostics: [Diagnostic] = []
        var name = stem
        if let node = document["name"] {
            if let text = node.scalar?.text, node.scalar?.resolved != .null, !text.isEmpty {
                name = text
            } else {
                diagnostics.append(.error("'name' of an organization is a non-empty string", at: node.location))
            }
        }
        let location = document.mapping?.first { $0.key.scalar?.text == "name" }?.key.location ?? document.location
        let source = decodeSource(
            name, document, at: location, zones: zones, file: true, diagnostics: &diagnostics)
        return (diagnostics.hasErrors ? nil : source, diagnostics)
    }

    static let sourceKeys: Set<String> = [
        "type", "admin_key", "base_url", "poll_interval", "page_size", "overlap", "start", "event_types", "project_ids",
        "tenant_events", "paging", "unavailable_after",
    ]

    /// A source of `sources:`, or (`file`) of a `sources_dir` file (which also holds its `name`).
    private static func decodeSource(
        _ name: String, _ node: DocumentNode, at location: SourceLocation, zones: (String) -> ZoneRules?,
        file: Bool = false, diagnostics: inout [Diagnostic]
    ) -> SourceConfig? {
        var reader = MappingReader(
            node, what: "source '\(name)'", known: file ? organizationFileKeys : sourceKeys.union(organizationKeys),
            ruleID: name)
        defer { diagnostics += reader.diagnostics }
        if let type = reader.string("type"), type != "openai" {
            reader.diagnostics.append(
                .error(
                    "unknown source type '\(type)'; auditwatch reads 'openai' audit logs", at: reader["type"]!.location,
                    ruleID: name))
        }
        var key: SecretReference?
        if let value = reader["admin_key"] {
            key = SecretReference.decode(
                value, key: "admin_key", ruleID: name,
                credential:
                    "'admin_key' is a credential: write ${OPENAI_ADMIN_KEY} or {file: /path}, never the key itself",
                diagnostics: &reader.diagnostics)
        } else {
            reader.diagnostics.append(.error("source '\(name)' needs 'admin_key'", at: location, ruleID: name))
        }
        guard let key else { return nil }
        var source = SourceConfig(name: name, adminKey: key, location: location)
        if let url = reader.string("base_url") {
            if let host = PlainHTTP.nonLoopbackHost(url) {
                reader.diagnostics.append(
                    .warning(
                        "source '\(name)' reads the audit log over plain http from \(host): use https (plain http is for loopback only)",
                        at: reader["base_url"]!.location, ruleID: name))
            }
            if url.hasPrefix("https://") || url.hasPrefix("http://") {
                source.baseURL = url
            } else {
                reader.diagnostics.append(
                    .error("'base_url' must be an http or https URL", at: reader["base_url"]!.location, ruleID: name))
            }
        }
        func duration(_ key: String) -> Int64? {
            guard let text = reader.string(key) else { return nil }
            let parsed = TimeSpan.parse(text)
            if let error = parsed.error {
                reader.diagnostics.append(.error(error, at: reader[key]!.location, ruleID: name))
            }
            return parsed.seconds
        }
        if let value = duration("poll_interval") { source.pollInterval = value }
        if let value = duration("overlap") { source.overlap = value }
        if let value = duration("start") { source.start = value }
        if let value = duration("unavailable_after") { source.unavailableAfter = value }
        if let node = reader["page_size"] {
            if case .int(let size)? = node.scalar?.resolved, (1...100).contains(size) {
                source.pageSize = Int(size)
            } else {
                reader.diagnostics.append(
                    .error(
                        "'page_size' is a whole number from 1 to 100 (the API's limit)", at: node.location, ruleID: name
                    ))
            }
        }
        source.eventTypes = reader.strings("event_types")
        for type in source.eventTypes where !EventSchema.isDocumented(type: type) {
            reader.diagnostics.append(
                .warning(
                    "'\(type)' is not a documented event type\(EventSchema.typeSuggestion(for: type))",
                    at: reader["event_types"]!.location, ruleID: name))
        }
        source.projectIDs = reader.strings("project_ids")
        source.tenantEvents = reader.bool("tenant_events") ?? false
        source.tuning = decodeTuning(&reader, zones: zones)
        if reader["notifiers"] != nil {
            source.notifiers = reader.strings("notifiers")
            source.notifiersLocation = reader["notifiers"]!.location
        }
        if let paging = reader.string("paging") {
            if ["after", "before"].contains(paging) {
                source.pagingParameter = paging
            } else {
                reader.diagnostics.append(
                    .error("'paging' is after or before", at: reader["paging"]!.location, ruleID: name))
            }
        }
        return source
    }

    private static func decodeNotifier(
        _ name: String, _ node: DocumentNode, at location: SourceLocation, zones: (String) -> ZoneRules?,
        diagnostics: inout [Diagnostic]
    ) -> NotifierConfig? {
        var reader = MappingReader(node, what: "notifier '\(name)'", known: notifierKeys)
        defer { diagnostics += reader.diagnostics }
        guard let typeText = reader.string("type", required: true, what: "notifier '\(name)'") else { return nil }
        guard let kind = NotifierKind(rawValue: typeText) else {
            reader.diagnostics.append(
                .error(
                    "unknown notifier type '\(typeText)'\(Suggestions.didYouMean(typeText, in: NotifierKind.allCases.map(\.rawValue)))",
                    at: reader["type"]!.location))
            return nil
        }
        func reference(_ key: String, credential: Bool) -> SecretReference? {
            guard let value = reader[key] else { return nil }
            return SecretReference.decode(
                value, key: key, ruleID: name,
                credential: credential
                    ? "'\(key)' of a \(kind.rawValue) notifier is a credential: write ${ENV_VAR} or {file: /path/to/secret}, never the value itself"
                    : nil,
                diagnostics: &reader.diagnostics)
        }
        var notifier = NotifierConfig(
            name: name, kind: kind, url: nil, routingKey: nil, signingSecret: nil,
            ratePerSecond: defaultRates[kind] ?? 1, template: nil, location: location)
        if let text = reader.string("template") {
            let parsed = SummaryTemplate.parse(
                text, at: reader["template"]!.location, ruleID: name, zones: zones, notifier: true)
            reader.diagnostics += parsed.diagnostics
            if let template = parsed.template {
                if template.readsEvent {
                    reader.diagnostics.append(
                        .error(
                            "a notifier template can read only {alert.*}, {rule.*} and {group.*}: deliveries do not keep the event (put event fields in the rule's summary)",
                            at: reader["template"]!.location, ruleID: name))
                } else {
                    notifier.template = template
                }
            }
        }
        switch kind {
        case .slack, .discord, .teams:
            notifier.url = reference("url", credential: true)
            if reader["url"] == nil {
                reader.diagnostics.append(.error("a \(kind.rawValue) notifier needs 'url'", at: location, ruleID: name))
            }
        case .pagerduty:
            notifier.routingKey = reference("routing_key", credential: true)
            notifier.url = reference("url", credential: false)
            if reader["routing_key"] == nil {
                reader.diagnostics.append(
                    .error("a pagerduty notifier needs 'routing_key'", at: location, ruleID: name))
            }
        case .webhook:
            notifier.url = reference("url", credential: false)
            notifier.signingSecret = reference("secret", credential: true)
            if reader["url"] == nil {
                reader.diagnostics.append(.error("a webhook notifier needs 'url'", at: location, ruleID: name))
            }
        case .stdout:
            break
        }
        if let text = reader.string("rate_limit") {
            let parts = text.split(separator: "/")
            if parts.count == 2, let count = Double(parts[0]), count > 0,
                let per = TimeSpan.parse("1" + parts[1]).seconds
            {
                notifier.ratePerSecond = count / Double(per)
            } else {
                reader.diagnostics.append(
                    .error(
                        "'rate_limit' is a count per unit, like 1/s or 120/m", at: reader["rate_limit"]!.location,
                        ruleID: name))
            }
        }
        return notifier
    }
}
