public import AuditwatchCore
import AuditwatchSources
public import AuditwatchYAML
public import AuditwatchZones
import Foundation

/// Runs rule tests against the production engine: the same compiler, the same event-time
/// windows, the same state round-trip a restart uses.
public struct RuleTestRunner {
    let rulePaths: [String]
    let loaded: RuleLoader.Loaded
    let zones: any ZoneLookup
    /// The tuning the rules were loaded with (`rules test --placeholders`); tests that pin
    /// calendars or placeholders reload the rules with it plus their pins.
    public var tuning = RuleTuning()

    public init(rulePaths: [String], loaded: RuleLoader.Loaded, zones: any ZoneLookup = ZoneDatabase()) {
        self.rulePaths = rulePaths
        self.loaded = loaded
        self.zones = zones
    }

    public func run(_ test: RuleTestCase, file: String) -> RuleTestResult {
        let started = Date()
        var result = RuleTestResult(test: test, file: file)
        defer { result.seconds = Date().timeIntervalSince(started) }
        result.problems = test.problems
        guard result.problems.isEmpty else { return result }
        let directory = (file as NSString).deletingLastPathComponent
        guard let ruleSet = ruleSet(for: test, directory: directory, problems: &result.problems) else { return result }

        let known = Set(ruleSet.rules.map(\.rule.id) + ruleSet.correlations.map(\.rule.id))
        let names = Dictionary(
            ruleSet.rules.compactMap { rule in rule.rule.name.map { ($0, rule.rule.id) } }
                + ruleSet.correlations.compactMap { c in c.rule.name.map { ($0, c.rule.id) } },
            uniquingKeysWith: { first, _ in first })
        func resolve(_ reference: String, at location: SourceLocation, what: String) -> String? {
            if known.contains(reference) { return reference }
            if let id = names[reference] { return id }
            result.problems.append(
                .error(
                    "\(what) names unknown rule '\(reference)'\(Suggestions.didYouMean(reference, in: known.sorted()))",
                    at: location, ruleID: test.name))
            return nil
        }
        let scope = test.scope.map { Set($0.compactMap { resolve($0.value, at: $0.location, what: "the test") }) }
        var expectations = test.expectations
        for index in expectations.indices {
            if let id = resolve(expectations[index].rule, at: expectations[index].location, what: "an expected alert") {
                expectations[index].rule = id
            }
        }
        guard let events = events(for: test, directory: directory, problems: &result.problems), result.problems.isEmpty
        else { return result }
        result.eventCount = events.count
        result.eventIDs = events.map(\.id)

        let (alerts, matched) = play(events, ruleSet: ruleSet, restartAfter: nil)
        result.alerts = alerts
        result.matchedRules = matched
        if let restart = test.restartAfter {
            let (replayed, _) = play(events, ruleSet: ruleSet, restartAfter: restart)
            if replayed != alerts {
                result.failures.append(
                    "a restart after event \(restart) changed the alerts:\n"
                        + describe(replayed, events: events, prefix: "      with restart: ") + "\n"
                        + describe(alerts, events: events, prefix: "   without restart: "))
            }
        }
        let inScope = alerts.filter { scope?.contains($0.ruleID) ?? true }
        result.failures = FailureReport.failures(
            expectations: expectations, alerts: inScope, events: events,
            ruleSet: ruleSet)
        return result
    }

    /// Runs the engine over `events`; with `restartAfter`, the state is saved and restored there.
    private func play(
        _ events: [Event], ruleSet: RuleSet, restartAfter: Int?
    ) -> (alerts: [Alert], matched: Set<String>) {
        var engine = DetectionEngine(ruleSet: ruleSet)
        var alerts: [Alert] = []
        var matched = Set<String>()
        for (index, event) in events.enumerated() {
            if let restartAfter, index == restartAfter {
                let saved = try? JSONEncoder().encode(engine.state)
                var restarted = DetectionEngine(ruleSet: ruleSet)
                if let saved, let state = try? JSONDecoder().decode(EngineState.self, from: saved) {
                    restarted.state = state
                }
                for (rule, count) in zip(ruleSet.rules, engine.matchCounts) where count > 0 {
                    matched.insert(rule.rule.id)
                }
                engine = restarted
            }
            alerts += engine.process(event)
        }
        alerts += engine.finish()
        for (rule, count) in zip(ruleSet.rules, engine.matchCounts) where count > 0 { matched.insert(rule.rule.id) }
        return (alerts, matched)
    }

    private func ruleSet(for test: RuleTestCase, directory: String, problems: inout [Diagnostic]) -> RuleSet? {
        guard !test.calendars.isEmpty || !test.placeholders.isEmpty else { return loaded.ruleSet }
        var overrides: [String: WorkingCalendar] = [:]
        for (name, path) in test.calendars {
            guard let full = Self.locate(path.value, besides: directory) else {
                problems.append(
                    .error(
                        "pinned calendar file '\(path.value)' does not exist (looked for \(Self.places(path.value, besides: directory)))",
                        at: path.location, ruleID: test.name))
                continue
            }
            let calendars = RuleLoader(zones: zones).load([full])
            problems += calendars.diagnostics.filter { $0.severity == .error }
            guard let calendar = calendars.calendars[name] else {
                problems.append(
                    .error(
                        "'\(path.value)' defines no calendar '\(name)'\(Suggestions.didYouMean(name, in: calendars.calendars.keys.sorted()))",
                        at: path.location, ruleID: test.name))
                continue
            }
            overrides[name] = calendar
        }
        guard problems.isEmpty else { return nil }
        var loader = RuleLoader(zones: zones)
        loader.calendarOverrides = overrides
        loader.tuning = tuning
        loader.tuning.placeholders.merge(test.placeholders) { _, pinned in pinned }
        let reloaded = loader.load(rulePaths)
        problems += reloaded.diagnostics.filter { $0.severity == .error }
        return reloaded.ruleSet
    }

    private func events(for test: RuleTestCase, directory: String, problems: inout [Diagnostic]) -> [Event]? {
        switch test.events {
        case .inline(let list):
            var events: [Event] = []
            for item in list {
                do {
                    events.append(try Event(document: JSONDocument(parsing: item.value)))
                } catch let error as EventError {
                    problems.append(.error("inline event: \(error.message)", at: item.location, ruleID: test.name))
                } catch {
                    problems.append(.error("inline event: \(error)", at: item.location, ruleID: test.name))
                }
            }
            return events
        case .fixture(let path, let location):
            guard let full = Self.locate(path, besides: directory) else {
                problems.append(
                    .error(
                        "fixture '\(path)' does not exist (looked for \(Self.places(path, besides: directory)))",
                        at: location, ruleID: test.name))
                return nil
            }
            var events: [Event] = []
            do {
                try EventReader(path: full).read(
                    strict: false,
                    onProblem: { problem in
                        problems.append(problem.diagnostic)
                    }, onEvent: { events.append($0) })
            } catch {
                problems.append(error.diagnostic)
                return nil
            }
            return events
        }
    }

    /// Where a file a test names may be: as given when absolute; else next to the test file,
    /// then relative to the current directory (where `rules test` runs, as CI jobs write paths).
    static func candidates(_ path: String, besides directory: String) -> [String] {
        guard !path.hasPrefix("/"), !directory.isEmpty, directory != "." else { return [path] }
        return [directory + "/" + path, path]
    }

    /// The first of those places that exists.
    public static func locate(_ path: String, besides directory: String) -> String? {
        candidates(path, besides: directory).first { FileManager.default.fileExists(atPath: $0) }
    }

    static func places(_ path: String, besides directory: String) -> String {
        let found = candidates(path, besides: directory)
        return found.count == 1 ? found[0] : "\(found[0]), then \(found[1]) in the current directory"
    }

    /// Alerts with the events behind them, for failure messages.
    private func describe(_ alerts: [Alert], events: [Event], prefix: String) -> String {
        guard !alerts.isEmpty else { return prefix + "(no alerts)" }
        let byID = Dictionary(events.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return alerts.map { alert in
            var text =
                prefix
                + "rule \(alert.ruleID), group {\(alert.group.map { "\($0.field): \($0.value ?? "null")" }.joined(separator: ", "))}, at \(UTCTime.iso8601(alert.lastAt)), count \(alert.count)"
            if alert.suppressed > 0 { text += ", suppressed \(alert.suppressed)" }
            text += ", summary \"\(alert.summary)\""
            for id in alert.eventIDs.prefix(8) {
                if let event = byID[id] {
                    text +=
                        "\n" + String(repeating: " ", count: prefix.count + 2)
                        + "event \(id): \(event.type) at \(UTCTime.iso8601(event.effectiveAt))"
                }
            }
            if alert.eventIDs.count > 8 {
                text +=
                    "\n" + String(repeating: " ", count: prefix.count + 2)
                    + "… and \(alert.eventIDs.count - 8) more events"
            }
            return text
        }.joined(separator: "\n")
    }
}
