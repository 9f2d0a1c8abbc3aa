import AuditwatchConsole
import AuditwatchCore
import AuditwatchSources
import Foundation

extension ConsoleServer {
    /// What the page shows now, from the state file (alerts, outbox, silences, source state) and
    /// the running figures (matches, lag, failed polls).
    func snapshot(filter: AlertFilter) throws -> ConsoleSnapshot {
        let store = try store()
        let now = context.clock()
        var snapshot = ConsoleSnapshot(now: now, version: context.version)
        snapshot.tokenConfigured = context.token != nil
        snapshot.filter = filter
        snapshot.sourceNames = context.sources
        snapshot.alertLimit = ConsoleServer.alertLimit
        for name in context.sources {
            let figures = context.tally.source(name)
            let saved = try store.sourceState(name).flatMap {
                try? JSONDecoder().decode(PollerState.self, from: Data($0.utf8))
            }
            snapshot.sources.append(
                ConsoleSnapshot.SourceRow(
                    name: name, lastPoll: figures.lastPoll ?? saved?.lastSuccess, lag: figures.lag,
                    failingSince: saved?.failingSince, pollErrors: figures.pollErrors,
                    invalidEvents: saved?.invalidEvents ?? 0, lateEvents: saved?.lateEvents ?? 0,
                    lastError: figures.lastError))
        }
        let totals = try store.ruleTotals()
        let matches = context.tally.matches
        for rule in context.tally.rules {
            snapshot.rules.append(
                ConsoleSnapshot.RuleRow(
                    id: rule.id, title: context.ruleTitles[rule.id] ?? "", level: rule.level,
                    matches: matches[rule.id] ?? 0, alerts: totals[rule.id]?.alerts ?? 0,
                    lastFired: totals[rule.id]?.lastAt))
        }
        let alerts = try store.recentAlerts(
            rule: filter.rule.isEmpty ? nil : filter.rule, level: filter.level.isEmpty ? nil : filter.level,
            limit: ConsoleServer.alertLimit, accept: filter.accepts)
        snapshot.alertTotal = try store.alertCount()
        let silencedBy = try store.silencedAlerts()
        let deliveries = try store.deliveries(of: alerts.map(\.id))
        snapshot.alerts = alerts.map { alert in
            ConsoleSnapshot.AlertRow(
                alert: alert, deliveries: (deliveries[alert.id] ?? []).map(ConsoleServer.delivery),
                silence: silencedBy[alert.id])
        }
        snapshot.outbox = ConsoleServer.rows(try store.alerts(status: .pending).suffix(ConsoleServer.alertLimit))
        snapshot.deadLetters = ConsoleServer.rows(try store.alerts(status: .failed).suffix(ConsoleServer.alertLimit))
        snapshot.silences = try store.silences()
        return snapshot
    }

    static func delivery(_ stored: StoredAlert) -> ConsoleSnapshot.Delivery {
        ConsoleSnapshot.Delivery(
            notifier: stored.sink, status: stored.status.rawValue, attempts: stored.attempts,
            lastError: stored.lastError)
    }

    /// Deliveries grouped into one row per alert, newest first.
    static func rows(_ stored: some Sequence<StoredAlert>) -> [ConsoleSnapshot.AlertRow] {
        var order: [String] = []
        var byAlert: [String: ConsoleSnapshot.AlertRow] = [:]
        for entry in stored {
            if byAlert[entry.alert.id] == nil {
                order.append(entry.alert.id)
                byAlert[entry.alert.id] = ConsoleSnapshot.AlertRow(alert: entry.alert, deliveries: [], silence: nil)
            }
            byAlert[entry.alert.id]?.deliveries.append(delivery(entry))
        }
        return order.reversed().compactMap { byAlert[$0] }
    }
}
