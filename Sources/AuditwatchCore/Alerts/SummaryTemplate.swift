/// A rule's `summary`: text with `{placeholders}` over the event and the alert, no logic.
///
/// `{actor.email}` reads the triggering event (same path rules as detections); `{alert.count}`,
/// `{alert.distinct}`, `{alert.first_at}`, `{alert.last_at}`, `{rule.id}`, `{rule.title}`,
/// `{rule.level}`, `{rule.timespan}` and
/// `{group.<field>}` read the alert. Filters follow `|`: `default:text`, `truncate:N`, `upper`,
/// `lower`. `{{` and `}}` are literal braces. A value that is missing renders as `(none)`.
/// Notifier templates may also read `{alert.summary}` (the rule's text), `{alert.source}` and
/// `{alert.id}`, which exist only once the alert does.
public struct SummaryTemplate: Sendable {
    enum Piece: Sendable {
        case literal(String)
        case event(FieldPath, [Filter])
        case alert(String, [Filter])
    }

    enum Filter: Sendable {
        case fallback(String)
        case truncate(Int)
        case upper
        case lower
        /// A time (Unix seconds or ISO text) shown in a zone: `2026-03-17T04:13:40+01:00`.
        case time(ZoneRules)
    }

    /// What the alert contributes to a summary.
    public struct Context: Sendable {
        public var ruleID: String
        public var ruleTitle: String
        public var level: RuleLevel
        public var count: Int
        public var firstAt: Int64
        public var lastAt: Int64
        public var group: [(field: String, value: String)]
        /// Distinct values counted (value_count), when there are any.
        public var distinct: Int?
        /// The correlation's timespan in seconds, when there is one.
        public var timespan: Int64?
        /// The alert's own summary, source and id: known at delivery time only.
        public var summary: String?
        public var source: String?
        public var id: String?

        public init(
            ruleID: String, ruleTitle: String, level: RuleLevel, count: Int, firstAt: Int64, lastAt: Int64,
            group: [(field: String, value: String)], distinct: Int? = nil, timespan: Int64? = nil
        ) {
            self.distinct = distinct
            self.timespan = timespan
            self.ruleID = ruleID
            self.ruleTitle = ruleTitle
            self.level = level
            self.count = count
            self.firstAt = firstAt
            self.lastAt = lastAt
            self.group = group
        }
    }

    static let alertFields: Set<String> = [
        "alert.count", "alert.distinct", "alert.first_at", "alert.last_at", "rule.id", "rule.title", "rule.level",
        "rule.timespan",
    ]
    /// What only a notifier template can read (a rule's summary is what makes `alert.summary`).
    static let notifierFields: Set<String> = ["alert.summary", "alert.source", "alert.id"]
    static let missing = "(none)"

    let pieces: [Piece]

    /// The summary used when a rule has none: title, event type, actor and project.
    public static let standard = SummaryTemplate(pieces: [])

    init(pieces: [Piece]) { self.pieces = pieces }

    /// Whether any placeholder reads the triggering event (not available at delivery time).
    public var readsEvent: Bool {
        pieces.contains { if case .event = $0 { return true } else { return false } }
    }

    /// Renders for an alert alone (no event): what notifier templates do.
    public func render(alert: Alert) -> String {
        var context = Context(
            ruleID: alert.ruleID, ruleTitle: alert.ruleTitle, level: alert.level, count: alert.count,
            firstAt: alert.firstAt,
            lastAt: alert.lastAt, group: alert.group.map { ($0.field, $0.value ?? SummaryTemplate.missing) })
        context.summary = alert.summary
        context.source = alert.source
        context.id = alert.id
        return render(event: nil, context: context)
    }

    /// Parses `text`; problems are reported at `location` with the offending placeholder.
    /// `zones` resolves the IANA names of `time:` filters.
    /// `notifier`: a notifier's template, which may also read `notifierFields`.
    public static func parse(
        _ text: String, at location: SourceLocation, ruleID: String?,
        zones: (String) -> ZoneRules? = { $0 == "UTC" ? .utc : nil },
        notifier: Bool = false
    ) -> (template: SummaryTemplate?, diagnostics: [Diagnostic]) {
        let known = notifier ? alertFields.union(notifierFields) : alertFields
        var pieces: [Piece] = []
        var diagnostics: [Diagnostic] = []
        var literal = ""
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            if character == "{" && characters.first == "{" { characters.removeFirst(); literal.append("{"); continue }
            if character == "}" && characters.first == "}" { characters.removeFirst(); literal.append("}"); continue }
            if character == "}" {
                diagnostics.append(
                    .error("unmatched '}' in summary; write '}}' for a literal brace", at: location, ruleID: ruleID))
                continue
            }
            guard character == "{" else { literal.append(character); continue }
            guard let close = characters.firstIndex(of: "}") else {
                diagnostics.append(
                    .error("unclosed '{' in summary; write '{{' for a literal brace", at: location, ruleID: ruleID))
                break
            }
            let body = String(characters[..<close])
            characters = characters[characters.index(after: close)...]
            if !literal.isEmpty { pieces.append(.literal(literal)); literal = "" }
            var parts = body.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            let name = parts.removeFirst().trimmingSpaces()
            var filters: [Filter] = []
            for part in parts {
                let filter = part.trimmingSpaces()
                if filter == "upper" {
                    filters.append(.upper)
                } else if filter == "lower" {
                    filters.append(.lower)
                } else if filter.hasPrefix("default:") {
                    filters.append(.fallback(String(filter.dropFirst("default:".count))))
                } else if filter.hasPrefix("truncate:"), let length = Int(filter.dropFirst("truncate:".count)),
                    length > 0
                {
                    filters.append(.truncate(length))
                } else if filter == "time" || filter.hasPrefix("time:") {
                    let zone = filter == "time" ? "UTC" : String(filter.dropFirst("time:".count))
                    if let rules = zones(zone) {
                        filters.append(.time(rules))
                    } else {
                        diagnostics.append(
                            .error("unknown time zone '\(zone)' in '{\(body)}'", at: location, ruleID: ruleID))
                    }
                } else {
                    diagnostics.append(
                        .error(
                            "unknown summary filter '\(filter)' in '{\(body)}'; use default:TEXT, truncate:N, upper, lower or time:ZONE",
                            at: location, ruleID: ruleID))
                }
            }
            if name.hasPrefix("alert.") || name.hasPrefix("rule.") {
                if known.contains(name) {
                    pieces.append(.alert(name, filters))
                } else if notifierFields.contains(name) {
                    diagnostics.append(
                        .error(
                            "'{\(name)}' exists only once the alert does: use it in a notifier's template, not in a rule's summary",
                            at: location, ruleID: ruleID))
                } else {
                    diagnostics.append(
                        .error(
                            "unknown placeholder '{\(name)}' in summary\(Suggestions.didYouMean(name, in: known.sorted()))",
                            at: location, ruleID: ruleID))
                }
            } else if name.hasPrefix("group.") {
                pieces.append(.alert(name, filters))
            } else {
                do {
                    pieces.append(.event(try FieldPath(name), filters))
                } catch {
                    diagnostics.append(
                        .error("\(error.message) in summary placeholder '{\(body)}'", at: location, ruleID: ruleID))
                }
            }
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        return (diagnostics.hasErrors ? nil : SummaryTemplate(pieces: pieces), diagnostics)
    }

    /// The summary text for an alert whose triggering event is `event`.
    /// `event` is nil when a window is decided at its end, with no event in hand; event
    /// placeholders then render as missing.
    public func render(event: Event?, context: Context) -> String {
        if pieces.isEmpty {
            guard let event, context.timespan == nil else { return SummaryTemplate.standardCorrelationText(context) }
            return SummaryTemplate.standardText(event: event, context: context)
        }
        return render(context) { _, path in event?.text(path) }
    }

    /// The event fields the placeholders read, in order: what a correlation keeps of an event
    /// whose alert is decided later (the event itself is not kept).
    public var eventPaths: [FieldPath] {
        pieces.compactMap { if case .event(let path, _) = $0 { return path } else { return nil } }
    }

    /// Renders a correlation's summary from the texts of `eventPaths` read earlier (nil: no
    /// event in hand, event placeholders render as missing).
    public func render(eventTexts: [String?]?, context: Context) -> String {
        if pieces.isEmpty { return SummaryTemplate.standardCorrelationText(context) }
        return render(context) { position, _ in
            guard let eventTexts, position < eventTexts.count else { return nil }
            return eventTexts[position]
        }
    }

    private func render(_ context: Context, eventText: (Int, FieldPath) -> String?) -> String {
        var output = ""
        var position = 0
        for piece in pieces {
            switch piece {
            case .literal(let text):
                output += text
            case .event(let path, let filters):
                output += apply(filters, to: eventText(position, path))
                position += 1
            case .alert(let name, let filters):
                output += apply(filters, to: alertValue(name, context))
            }
        }
        return output
    }

    /// ISO 8601 in the zone's local time, with its offset.
    static func localTime(_ seconds: Int64, _ zone: ZoneRules) -> String {
        let offset = zone.offset(at: seconds)
        let local = UTCTime.iso8601(seconds + Int64(offset)).dropLast()
        guard offset != 0 else { return local + "Z" }
        let sign = offset < 0 ? "-" : "+"
        let hours = abs(offset) / 3600, minutes = abs(offset) % 3600 / 60
        return local + sign + (hours < 10 ? "0" : "") + String(hours) + ":" + (minutes < 10 ? "0" : "")
            + String(minutes)
    }

    private func alertValue(_ name: String, _ context: Context) -> String? {
        switch name {
        case "alert.count": return String(context.count)
        case "alert.distinct": return context.distinct.map(String.init)
        case "rule.timespan": return context.timespan.map(TimeSpan.format)
        case "alert.first_at": return UTCTime.iso8601(context.firstAt)
        case "alert.last_at": return UTCTime.iso8601(context.lastAt)
        case "rule.id": return context.ruleID
        case "rule.title": return context.ruleTitle
        case "rule.level": return context.level.rawValue
        case "alert.summary": return context.summary
        case "alert.source": return context.source
        case "alert.id": return context.id
        default:
            let field = name.dropFirst("group.".count)
            return context.group.first { $0.field == field }?.value
        }
    }

    private func apply(_ filters: [Filter], to value: String?) -> String {
        var text = value
        for filter in filters {
            switch filter {
            case .fallback(let fallback): if text == nil || text!.isEmpty { text = fallback }
            case .truncate(let length):
                if let current = text, current.count > length { text = String(current.prefix(length - 1)) + "…" }
            case .upper: text = text?.uppercased()
            case .lower: text = text?.lowercased()
            case .time(let zone):
                guard let current = text, let seconds = Int64(current) ?? UTCTime.parse(current) else { break }
                text = SummaryTemplate.localTime(seconds, zone)
            }
        }
        return text ?? SummaryTemplate.missing
    }

    private static let actorPath = try! FieldPath("actor.email")
    private static let actorIDPath = try! FieldPath("actor.id")
    private static let projectPath = try! FieldPath("project.name")
    private static let projectIDPath = try! FieldPath("project.id")

    private static func standardCorrelationText(_ context: Context) -> String {
        var text = "\(context.ruleTitle): \(context.count) event\(context.count == 1 ? "" : "s")"
        if let distinct = context.distinct { text += ", \(distinct) distinct value\(distinct == 1 ? "" : "s")" }
        if let timespan = context.timespan { text += " within \(TimeSpan.format(timespan))" }
        let group = context.group.map { "\($0.field)=\($0.value)" }.joined(separator: ", ")
        if !group.isEmpty { text += " for \(group)" }
        return text
    }

    private static func standardText(event: Event, context: Context) -> String {
        let actor = event.text(actorPath) ?? event.text(actorIDPath) ?? "an unknown actor"
        let type = event.type
        let project = event.text(projectPath) ?? event.text(projectIDPath)
        // One reserved string, appended to: the interpolation grew it four times an alert.
        var text = ""
        text.reserveCapacity(
            context.ruleTitle.utf8.count + type.utf8.count + actor.utf8.count + (project?.utf8.count ?? 0) + 48)
        text += context.ruleTitle
        text += ": "
        text += type
        text += " by "
        text += actor
        if let project {
            text += " in project "
            text += project
        }
        if context.count > 1 {
            text += " ("
            text += String(context.count)
            text += " events)"
        }
        return text
    }
}
