import AuditwatchCore

/// The console at `/`: one server-rendered page, no script and no external asset (the service
/// also sends a Content-Security-Policy that forbids both). Every value is escaped by `HTMLText`.
public enum ConsolePage {
    /// The whole page for `snapshot`.
    public static func render(_ snapshot: ConsoleSnapshot) -> String {
        var html = PageFrame.open(title: "auditwatch console")
        html += header(snapshot)
        if let notice = snapshot.notice { html += "<p class=\"notice\" id=\"notice\">\(HTMLText.escape(notice))</p>\n" }
        html += sources(snapshot)
        html += alerts(snapshot)
        html += silences(snapshot)
        html += outbox(snapshot)
        html += rules(snapshot)
        html += PageFrame.close()
        return html
    }

    private static func e(_ text: String) -> String { HTMLText.escape(text) }

    private static func time(_ value: Int64?) -> String {
        value.map { "<time>\(UTCTime.iso8601($0))</time>" } ?? "—"
    }

    private static func header(_ snapshot: ConsoleSnapshot) -> String {
        var html =
            "<header><h1>auditwatch</h1><span class=\"meta\">\(e(snapshot.version)) · \(time(snapshot.now))</span>"
        if let csrf = snapshot.csrf {
            html += "<form method=\"post\" action=\"/logout\" class=\"inline\">\(hidden(csrf))"
            html += "<button type=\"submit\">Sign out</button></form>"
        } else if snapshot.tokenConfigured {
            html += LoginForm.render(message: nil)
        } else {
            html += "<span class=\"meta\">read only: set server.token to make changes here</span>"
        }
        return html + "</header>\n"
    }

    static func hidden(_ csrf: String) -> String {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(e(csrf))\">"
    }

    private static func sources(_ snapshot: ConsoleSnapshot) -> String {
        var html = "<section id=\"sources\"><h2>Sources</h2>\n"
        guard !snapshot.sources.isEmpty else { return html + "<p>No sources configured.</p></section>\n" }
        html += "<table><thead><tr><th>source</th><th>last poll</th><th>lag</th><th>status</th>"
        html +=
            "<th>poll errors</th><th>last error</th><th>unusable events</th><th>late events</th></tr></thead><tbody>\n"
        for source in snapshot.sources {
            let status =
                source.failingSince.map { "<span class=\"bad\">failing since \(time($0))</span>" }
                ?? (source.lastPoll == nil ? "not polled yet" : "<span class=\"ok\">ok</span>")
            html += "<tr class=\"source\"><td>\(e(source.name))</td><td>\(time(source.lastPoll))</td>"
            html += "<td>\(source.lag.map { TimeSpan.format(max(0, $0)) } ?? "—")</td><td>\(status)</td>"
            let error = source.lastError.map { "\(time($0.at)) \(e($0.message))" } ?? "—"
            html += "<td>\(source.pollErrors)</td><td class=\"error\">\(error)</td>"
            html += "<td>\(source.invalidEvents)</td><td>\(source.lateEvents)</td></tr>\n"
        }
        return html + "</tbody></table></section>\n"
    }

    private static func rules(_ snapshot: ConsoleSnapshot) -> String {
        var html = "<section id=\"rules\"><h2>Rules</h2>\n"
        html += "<table><thead><tr><th>rule</th><th>title</th><th>level</th><th>matches</th><th>alerts</th>"
        html += "<th>last fired</th></tr></thead><tbody>\n"
        // Those that fired first (newest first), then the rest by id.
        let ordered = snapshot.rules.sorted { left, right in
            (left.lastFired ?? .min, right.id) > (right.lastFired ?? .min, left.id)
        }
        for rule in ordered {
            let link = "/?rule=\(HTMLText.queryComponent(rule.id))#alerts"
            html += "<tr class=\"rule\"><td><a href=\"\(e(link))\">\(e(rule.id))</a></td><td>\(e(rule.title))</td>"
            html += "<td class=\"level \(e(rule.level))\">\(e(rule.level))</td><td>\(rule.matches)</td>"
            html += "<td>\(rule.alerts)</td><td>\(time(rule.lastFired))</td></tr>\n"
        }
        return html + "</tbody></table></section>\n"
    }

    private static func alerts(_ snapshot: ConsoleSnapshot) -> String {
        let filter = snapshot.filter
        var html = "<section id=\"alerts\"><h2>Recent alerts</h2>\n"
        html += "<form method=\"get\" action=\"/\" class=\"filters\">"
        html += select("rule", options: snapshot.rules.map(\.id), selected: filter.rule)
        html += select("level", options: RuleLevel.allCases.map(\.rawValue), selected: filter.level)
        html += select("source", options: snapshot.sourceNames, selected: filter.source)
        html += "<button type=\"submit\">Filter</button>"
        if !filter.isEmpty { html += " <a href=\"/#alerts\">clear</a>" }
        html += "</form>\n"
        html += "<p class=\"meta\">\(snapshot.alerts.count) shown of \(snapshot.alertTotal) recorded"
        html += " (newest first, at most \(snapshot.alertLimit))</p>\n"
        html += alertTable(snapshot.alerts, id: "alert-table", retry: nil)
        return html + "</section>\n"
    }

    private static func select(_ name: String, options: [String], selected: String) -> String {
        var html = "<label>\(name) <select name=\"\(name)\"><option value=\"\">any</option>"
        for option in options {
            html += "<option value=\"\(e(option))\"\(option == selected ? " selected" : "")>\(e(option))</option>"
        }
        return html + "</select></label> "
    }

    /// Alerts and their deliveries; with `retry`, a retry button per alert (dead letters).
    private static func alertTable(_ rows: [ConsoleSnapshot.AlertRow], id: String, retry csrf: String?) -> String {
        guard !rows.isEmpty else { return "<p class=\"empty\" id=\"\(id)\">None.</p>\n" }
        var html = "<table id=\"\(id)\"><thead><tr><th>last at</th><th>rule</th><th>level</th><th>source</th>"
        html +=
            "<th>group</th><th>summary</th><th>deliveries</th>\(csrf == nil ? "" : "<th></th>")</tr></thead><tbody>\n"
        for row in rows {
            let alert = row.alert
            let group = alert.group.map { "\($0.field)=\($0.value ?? "(none)")" }.joined(separator: ", ")
            var deliveries = row.deliveries.map { delivery in
                var text = "<span class=\"status \(e(delivery.status))\">\(e(delivery.notifier)): \(e(delivery.status))"
                if delivery.attempts > 0 { text += " ×\(delivery.attempts)" }
                if let error = delivery.lastError { text += " <small>\(e(error))</small>" }
                return text + "</span>"
            }
            if deliveries.isEmpty { deliveries = ["<span class=\"status\">recorded</span>"] }
            if let silence = row.silence { deliveries.append("<small>by \(e(silence))</small>") }
            html += "<tr class=\"alert\" data-alert-id=\"\(e(alert.id))\"><td>\(time(alert.lastAt))</td>"
            html +=
                "<td>\(e(alert.ruleID))</td><td class=\"level \(e(alert.level.rawValue))\">\(e(alert.level.rawValue))</td>"
            html += "<td>\(e(alert.source ?? "—"))</td><td class=\"group\">\(e(group))</td>"
            html += "<td class=\"summary\">\(e(alert.summary))</td><td>\(deliveries.joined(separator: "<br>"))</td>"
            if let csrf {
                html += "<td><form method=\"post\" action=\"/retry\">\(hidden(csrf))"
                html += "<input type=\"hidden\" name=\"alert\" value=\"\(e(alert.id))\">"
                html += "<button type=\"submit\">Retry</button></form></td>"
            }
            html += "</tr>\n"
        }
        return html + "</tbody></table>\n"
    }

    private static func outbox(_ snapshot: ConsoleSnapshot) -> String {
        var html = "<section id=\"outbox\"><h2>Outbox</h2>\n<h3>Waiting to be sent</h3>\n"
        html += alertTable(snapshot.outbox, id: "outbox-table", retry: nil)
        html += "<h3 id=\"dead-letters\">Dead letters</h3>\n"
        html += alertTable(snapshot.deadLetters, id: "dead-letter-table", retry: snapshot.csrf)
        if let csrf = snapshot.csrf, !snapshot.deadLetters.isEmpty {
            html += "<form method=\"post\" action=\"/retry\">\(hidden(csrf))"
            html +=
                "<input type=\"hidden\" name=\"alert\" value=\"all\"><button type=\"submit\">Retry all</button></form>\n"
        }
        return html + "</section>\n"
    }

    private static func silences(_ snapshot: ConsoleSnapshot) -> String {
        var html = "<section id=\"silences\"><h2>Silences</h2>\n"
        if snapshot.silences.isEmpty {
            html += "<p class=\"empty\" id=\"silence-table\">None.</p>\n"
        } else {
            html += "<table id=\"silence-table\"><thead><tr><th>id</th><th>state</th><th>matchers</th><th>from</th>"
            html += "<th>until</th><th>author</th><th>comment</th><th></th></tr></thead><tbody>\n"
            for silence in snapshot.silences {
                let state = silence.state(at: snapshot.now)
                html += "<tr class=\"silence \(state.rawValue)\" data-silence-id=\"\(e(silence.id))\">"
                html += "<td>\(e(silence.id))</td><td>\(state.rawValue)</td>"
                html +=
                    "<td>\(silence.matchers.map { "<code>\(e($0.description))</code>" }.joined(separator: " "))</td>"
                html += "<td>\(time(silence.startsAt))</td><td>\(time(silence.endsAt))</td>"
                html += "<td>\(e(silence.author))</td><td>\(e(silence.comment))</td><td>"
                if let csrf = snapshot.csrf, state != .expired {
                    html += "<form method=\"post\" action=\"/silences/expire\">\(hidden(csrf))"
                    html += "<input type=\"hidden\" name=\"id\" value=\"\(e(silence.id))\">"
                    html += "<button type=\"submit\">Expire</button></form>"
                }
                html += "</td></tr>\n"
            }
            html += "</tbody></table>\n"
        }
        html += "<h3>New silence</h3>\n"
        if !snapshot.problems.isEmpty {
            html += "<ul class=\"problems\" id=\"problems\">"
            html += snapshot.problems.map { "<li>\(e($0))</li>" }.joined()
            html += "</ul>\n"
        }
        guard let csrf = snapshot.csrf else {
            return html + "<p>Sign in with the server token to create or expire silences.</p></section>\n"
        }
        let draft = snapshot.draft
        html += "<form method=\"post\" action=\"/silences\" id=\"silence-form\">\(hidden(csrf))"
        html += "<label>matchers, one a line (rule=…, level!=…, tags=…, source=…, group.FIELD=~REGEX)"
        html += "<textarea name=\"matchers\" rows=\"3\" cols=\"60\" required>\(e(draft.matchers))</textarea></label>"
        html += "<label>for <input name=\"for\" value=\"\(e(draft.duration))\" size=\"6\" required></label> "
        html += "<label>comment <input name=\"comment\" value=\"\(e(draft.comment))\" size=\"40\" required></label> "
        html += "<label>author <input name=\"author\" value=\"\(e(draft.author))\" size=\"20\"></label> "
        html += "<button type=\"submit\">Create silence</button></form>\n"
        return html + "</section>\n"
    }
}
