/// The request bodies each notifier sends for an alert. Pure: no I/O, no clock.
///
/// Every piece of event-derived text (the summary, group values) is escaped for its target and
/// cut to the target's limits; only rule metadata (title, id, level), which comes from reviewed
/// rule files, is used unescaped where a target needs a plain label.
public enum AlertMessages {
    /// The facts every message lists.
    static func facts(_ alert: Alert) -> [(name: String, value: String)] {
        var facts: [(String, String)] = [("Level", alert.level.rawValue), ("Rule", alert.ruleID)]
        if let source = alert.source { facts.insert(("Organization", source), at: 0) }
        for value in alert.group { facts.append((value.field, value.value ?? "(missing)")) }
        facts.append(("Events", String(alert.count)))
        if alert.suppressed > 0 { facts.append(("Folded", String(alert.suppressed))) }
        facts.append(
            (
                "When",
                alert.firstAt == alert.lastAt
                    ? UTCTime.iso8601(alert.lastAt)
                    : "\(UTCTime.iso8601(alert.firstAt)) – \(UTCTime.iso8601(alert.lastAt))"
            ))
        facts.append(("Alert", alert.id))
        return facts.map { ($0.0, MessageText.printable($0.1)) }
    }

    /// The level, the rule's title and, for a polled alert, the organization it came from.
    static func headline(_ alert: Alert) -> String {
        "[\(alert.level.rawValue.uppercased())] \(alert.ruleTitle)" + (alert.source.map { " (\($0))" } ?? "")
    }

    /// Slack incoming webhook: `text` (the notification fallback) plus blocks. Untrusted text goes
    /// only into `plain_text` objects (no markdown, no links) and is entity-escaped besides.
    public static func slack(_ alert: Alert) -> String {
        let fallback = MessageText.fitSlack(headline(alert), 3000)
        var blocks: [String] = []
        blocks.append(
            #"{"type":"header","text":{"type":"plain_text","text":\#(JSONWriter.quoted(MessageText.fitSlack(headline(alert), 150)))}}"#
        )
        blocks.append(
            #"{"type":"section","text":{"type":"plain_text","text":\#(JSONWriter.quoted(MessageText.fitSlack(MessageText.printable(alert.summary).orDash, 2900)))}}"#
        )
        let fields = facts(alert).prefix(10).map { fact in
            #"{"type":"plain_text","text":\#(JSONWriter.quoted(MessageText.fitSlack(fact.name + ": " + fact.value, 1900)))}"#
        }
        blocks.append(#"{"type":"section","fields":[\#(fields.joined(separator: ","))]}"#)
        return
            #"{"text":\#(JSONWriter.quoted(fallback)),"unfurl_links":false,"unfurl_media":false,"blocks":[\#(blocks.joined(separator: ","))]}"#
    }

    /// Discord webhook (send with `?wait=true`): one embed, mentions disabled, markdown escaped,
    /// within Discord's per-field and 6000-character total limits.
    public static func discord(_ alert: Alert) -> String {
        let title = MessageText.fit(headline(alert), 256)
        let description = MessageText.fitEscaped(MessageText.markdown(MessageText.printable(alert.summary)), 2000)
        // 6,000 across title, description, field names and values, and the footer (≤ 64).
        var budget = 6000 - MessageText.length(title) - MessageText.length(description) - 64
        var fields: [String] = []
        for fact in facts(alert).prefix(25) {
            // Discord refuses an embed field whose name or value is empty.
            let name = MessageText.fit(fact.name.orDash, 256),
                value = MessageText.fitEscaped(MessageText.markdown(fact.value.orDash), 1024)
            let used = MessageText.length(name) + MessageText.length(value)
            guard budget - used > 0 else { break }
            budget -= used
            fields.append(#"{"name":\#(JSONWriter.quoted(name)),"value":\#(JSONWriter.quoted(value)),"inline":true}"#)
        }
        let color =
            ["critical": 0x8B0000, "high": 0xE01E5A, "medium": 0xECB22E, "low": 0x36C5F0, "informational": 0x9E9E9E][
                alert.level.rawValue] ?? 0
        let embed =
            #"{"title":\#(JSONWriter.quoted(title)),"description":\#(JSONWriter.quoted(description)),"color":\#(color),"timestamp":"\#(UTCTime.iso8601(alert.lastAt))","fields":[\#(fields.joined(separator: ","))],"footer":{"text":\#(JSONWriter.quoted("auditwatch " + alert.id))}}"#
        let content = MessageText.fitEscaped(MessageText.markdown(headline(alert)), 2000)
        return #"{"content":\#(JSONWriter.quoted(content)),"allowed_mentions":{"parse":[]},"embeds":[\#(embed)]}"#
    }

    /// Microsoft Teams Workflows webhook: an Adaptive Card in a message envelope, within 24 KB.
    public static func teams(_ alert: Alert) -> String {
        var summary = MessageText.fitEscaped(MessageText.teams(MessageText.printable(alert.summary)), 8000)
        var facts = facts(alert).map {
            #"{"title":\#(JSONWriter.quoted($0.name)),"value":\#(JSONWriter.quoted(MessageText.fitEscaped(MessageText.teams($0.value), 1000)))}"#
        }
        func body() -> String {
            let blocks = [
                #"{"type":"TextBlock","text":\#(JSONWriter.quoted(MessageText.teams(headline(alert)))),"weight":"Bolder","size":"Medium","wrap":true}"#,
                #"{"type":"TextBlock","text":\#(JSONWriter.quoted(summary)),"wrap":true}"#,
                #"{"type":"FactSet","facts":[\#(facts.joined(separator: ","))]}"#,
            ]
            return
                #"{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","contentUrl":null,"content":{"$schema":"http://adaptivecards.io/schemas/adaptive-card.json","type":"AdaptiveCard","version":"1.4","body":[\#(blocks.joined(separator: ","))]}}]}"#
        }
        var text = body()
        while text.utf8.count > 24_000 && (MessageText.length(summary) > 200 || facts.count > 3) {
            if MessageText.length(summary) > 200 {
                summary = MessageText.fitEscaped(summary, MessageText.length(summary) / 2)
            } else {
                facts.removeLast()
            }
            text = body()
        }
        return text
    }

    /// PagerDuty Events API v2 trigger; the alert id is the dedup key, so a retry never opens a
    /// second incident.
    public static func pagerDuty(_ alert: Alert, routingKey: String) -> String {
        let severity = ["critical": "critical", "high": "error", "medium": "warning"][alert.level.rawValue] ?? "info"
        let group = alert.group.map { "\($0.field)=\($0.value ?? "(missing)")" }.joined(separator: " ")
        func body(_ details: Alert) -> String {
            let payload =
                #"{"summary":\#(JSONWriter.quoted(MessageText.fit(MessageText.printable(headline(alert) + ": " + alert.summary), 1024))),"source":"auditwatch","severity":"\#(severity)","timestamp":"\#(UTCTime.iso8601(alert.lastAt))","component":\#(JSONWriter.quoted(alert.ruleID)),"group":\#(JSONWriter.quoted(MessageText.fit(MessageText.printable(group), 255))),"class":\#(JSONWriter.quoted(alert.tags.first ?? alert.level.rawValue)),"custom_details":\#(AlertFormatter.jsonLine(details))}"#
            return
                #"{"routing_key":\#(JSONWriter.quoted(routingKey)),"event_action":"trigger","dedup_key":\#(JSONWriter.quoted(MessageText.fit("aw-" + alert.id, 255))),"payload":\#(payload),"client":"auditwatch"}"#
        }
        // The details are shown in PagerDuty's UI: their event text is made printable too. An
        // event may be 512 KB: past that, the details shrink rather than the event be refused.
        var shown = alert
        shown.summary = MessageText.printable(alert.summary)
        shown.group = alert.group.map {
            GroupValue(field: MessageText.printable($0.field), value: $0.value.map(MessageText.printable))
        }
        let whole = body(shown)
        return whole.utf8.count <= 500_000 ? whole : body(AlertMessages.shrunk(shown, toBytes: 400_000))
    }

    /// The alert with its event-derived text cut so its JSON line fits `limit` bytes (the
    /// first 100 event ids kept, the summary and group values cut).
    static func shrunk(_ alert: Alert, toBytes limit: Int) -> Alert {
        var small = alert
        if small.eventIDs.count > 100 { small.eventIDs = Array(small.eventIDs.prefix(100)) }
        var share = max(256, limit / max(1, 2 + small.group.count))
        while AlertFormatter.jsonLine(small).utf8.count > limit && share >= 64 {
            small.summary = MessageText.fitBytes(alert.summary, share)
            small.group = alert.group.map {
                GroupValue(
                    field: MessageText.fitBytes($0.field, 256), value: $0.value.map { MessageText.fitBytes($0, share) })
            }
            share /= 2
        }
        return small
    }

    /// Generic webhook: the alert JSON exactly as `run --output jsonl` prints it, unless that is
    /// over the 20 KB receivers accept: then its event-derived text is cut to fit.
    public static func webhook(_ alert: Alert) -> String {
        let line = AlertFormatter.jsonLine(alert)
        return line.utf8.count <= 20_000 ? line : AlertFormatter.jsonLine(shrunk(alert, toBytes: 19_000))
    }
}
