extension DetectionEngine {
    /// Feeds one base-rule match to a correlation slot; returns the alerts it raises.
    mutating func feedCorrelation(_ index: Int, slot slotIndex: Int, event: Event, eventID: String, texts: inout EventTexts) -> [Alert] {
        let correlation = ruleSet.correlations[index]
        let slot = correlation.slots[slotIndex]
        // One view for every field read; with a single group field the key is that value's own
        // string (shared storage, not a joined copy), which is the common case.
        let read = event.withView { view -> (values: [String?], key: String, value: String??) in
            let values = slot.groupPaths.map { texts.text($0, view) }
            let key = values.count == 1 ? (values[0] ?? "\u{0}") : values.map { $0 ?? "\u{0}" }.joined(separator: "\u{1F}")
            guard !slot.valuePaths.isEmpty else { return (values, key, .some(nil)) }
            let parts = slot.valuePaths.map { texts.text($0, view) }
            // value_count and new_value ignore matches that lack the field.
            if parts.contains(where: { $0 == nil }) { return (values, key, nil) }
            return (values, key, .some(parts.count == 1 ? parts[0]! : parts.map { $0! }.joined(separator: "\u{1F}")))
        }
        guard let value = read.value else { return [] }
        let values = read.values
        let key = read.key
        let entry = GroupState.Entry(time: event.effectiveAt, eventID: eventID, slot: slotIndex, value: value)
        return consider(index, key: key, values: values, entry: entry, event: event)
    }

    /// Feeds a lower correlation's alert to a chained correlation slot.
    private mutating func feedChain(_ index: Int, slot slotIndex: Int, alert: Alert) -> [Alert] {
        let slot = ruleSet.correlations[index].slots[slotIndex]
        let values = slot.groupFields.map { field in alert.group.first { $0.field == field }?.value ?? nil }
        let key = values.map { $0 ?? "\u{0}" }.joined(separator: "\u{1F}")
        let entry = GroupState.Entry(time: alert.lastAt, eventID: alert.eventIDs.last ?? alert.id, slot: slotIndex, value: nil)
        return consider(index, key: key, values: values, entry: entry, event: nil)
    }

    private mutating func consider(_ index: Int, key: String, values: [String?], entry: GroupState.Entry, event: Event?) -> [Alert] {
        let correlation = ruleSet.correlations[index]
        let alert = correlation.rule.kind == .newValue
            ? recordValue(index, correlation, key: key, values: values, entry: entry, event: event)
            : record(index, correlation, key: key, values: values, entry: entry, event: event)
        return alert.map { emit($0, from: index) } ?? []
    }

    /// A correlation fired: send the alert (unless only chains want it) and feed the chains.
    mutating func emit(_ alert: Alert, from index: Int) -> [Alert] {
        var alerts: [Alert] = []
        if ruleSet.correlationGenerates[index] {
            alerts += suppress(alert, rule: ruleSet.correlations[index].rule.suppress)
        }
        for feed in ruleSet.chainFeeds[index] {
            alerts += feedChain(feed.correlation, slot: feed.slot, alert: alert)
        }
        return alerts
    }

    /// Sliding-window kinds: insert the match, then decide.
    private mutating func record(_ index: Int, _ correlation: CompiledCorrelation, key: String, values: [String?], entry: GroupState.Entry, event: Event?) -> Alert? {
        let rule = correlation.rule
        // One hash of the key for a group that exists (the common case): its slot is updated
        // in place through the values view.
        let existing = correlationStates[index].groups.index(forKey: key)
        if existing == nil { makeRoom(in: index) }
        let options = self.options
        return withCorrelationState(index) { state -> Alert? in
            if correlation.decidesAtWindowEnd {
                let end = entry.time + rule.timespan
                state.nextDecision = min(state.nextDecision ?? end, end)
            }
            if let existing {
                return DetectionEngine.insert(entry, into: &state.groups.values[existing], key: key, correlation, options, event: event)
            }
            return DetectionEngine.insert(entry, into: &state.groups[key, default: GroupState(values: GroupState.storedValues(values, key: key))], key: key, correlation, options, event: event)
        }
    }

    private static func insert(_ entry: GroupState.Entry, into group: inout GroupState, key: String, _ correlation: CompiledCorrelation, _ options: EngineOptions, event: Event?) -> Alert? {
        let position = group.entries.upperBound(of: entry.time)
        group.entries.insert(entry, at: position)
        if group.entries.count > options.maxEntriesPerGroup { group.entries.removeFirst(group.entries.count - options.maxEntriesPerGroup) }
        if correlation.decidesAtWindowEnd {
            group.windowStart = min(group.windowStart ?? entry.time, entry.time)
            return nil
        }
        return DetectionEngine.evaluateSliding(correlation, &group, key: key, inserted: entry, event: event)
    }

    private static func update<Result>(_ group: inout GroupState, _ body: (inout GroupState) -> Result) -> Result { body(&group) }

    /// Fires when a window containing the new match first satisfies the condition; re-arms when
    /// the newest window no longer does.
    private static func evaluateSliding(_ correlation: CompiledCorrelation, _ group: inout GroupState, key: String, inserted: GroupState.Entry, event: Event?) -> Alert? {
        let span = correlation.rule.timespan
        let entries = group.entries
        if group.firing {
            if !holds(correlation, entries, window(entries, endingAt: entries.count - 1, span: span)) { group.firing = false }
            return nil
        }
        var end = entries.lowerBound(of: inserted.time)
        while end < entries.count && entries[end].time - span < inserted.time {
            let range = window(entries, endingAt: end, span: span)
            if holds(correlation, entries, range) {
                group.firing = true
                return alert(correlation, group: group, key: key, window: range, anchor: entries[end], event: event)
            }
            end += 1
        }
        return nil
    }

    /// Entries in `(t - span, t]` where `t` is the time of entry `end` (ties included).
    static func window(_ entries: [GroupState.Entry], endingAt end: Int, span: Int64) -> Range<Int> {
        let time = entries[end].time
        return entries.upperBound(of: time - span)..<entries.upperBound(of: time)
    }

    /// Whether the condition holds over `range` of `entries`.
    static func holds(_ correlation: CompiledCorrelation, _ entries: [GroupState.Entry], _ range: Range<Int>) -> Bool {
        let rule = correlation.rule
        switch rule.kind {
        case .eventCount:
            return rule.condition?.holds(range.count) ?? false
        case .valueCount:
            return rule.condition?.holds(Set(entries[range].compactMap(\.value)).count) ?? false
        case .temporal:
            let seen = Set(entries[range].map(\.slot)).count
            return rule.condition?.holds(seen) ?? (seen == correlation.slots.count)
        case .temporalOrdered:
            // Greedy: the earliest match of each rule in turn, never going back in time; equal
            // times count as in order (effective_at has one-second resolution).
            var after = Int64.min
            for slot in correlation.slots.indices {
                guard let found = entries[range].first(where: { $0.slot == slot && $0.time >= after }) else { return false }
                after = found.time
            }
            return true
        case .newValue:
            return false
        }
    }

    static func alert(_ correlation: CompiledCorrelation, group: GroupState, key: String, window range: Range<Int>, anchor: GroupState.Entry, event: Event?) -> Alert {
        let rule = correlation.rule
        let entries = group.entries[range]
        let groupValues = zip(rule.groupBy, group.values(key: key, fields: rule.groupBy.count)).map { GroupValue(field: $0, value: $1) }
        let distinct = rule.kind == .valueCount ? Set(entries.compactMap(\.value)).count : nil
        let first = entries.first?.time ?? anchor.time
        let context = SummaryTemplate.Context(
            ruleID: rule.id, ruleTitle: rule.title, level: rule.level, count: entries.count, firstAt: first, lastAt: anchor.time,
            group: groupValues.map { ($0.field, $0.value ?? SummaryTemplate.missing) }, distinct: distinct, timespan: rule.timespan)
        return Alert(
            id: AlertID.make(ruleID: rule.id, group: groupValues, anchorEventID: anchor.eventID),
            ruleID: rule.id, ruleTitle: rule.title, level: rule.level, tags: rule.tags, group: groupValues,
            count: entries.count, firstAt: first, lastAt: anchor.time, eventIDs: entries.map(\.eventID),
            summary: correlation.summary.render(event: event, context: context))
    }

    /// `new_value`: alert the first time a value is seen for a group, after the learning period.
    private mutating func recordValue(_ index: Int, _ correlation: CompiledCorrelation, key: String, values: [String?], entry: GroupState.Entry, event: Event?) -> Alert? {
        let rule = correlation.rule
        guard let value = entry.value else { return nil }
        if correlationStates[index].knownValues[key] == nil { makeRoom(in: index) }
        let options = self.options
        let (isNew, learningStart) = withCorrelationState(index) { state in
            DetectionEngine.remember(&state, key: key, value: value, time: entry.time, forgetAfter: rule.timespan, cap: options.maxValuesPerGroup)
        }
        guard isNew, entry.time >= learningStart + rule.learning else { return nil }
        // The new value joins the group, so alerts (and suppression) are per value.
        var group = GroupState(values: values + [value])
        group.entries = [entry]
        var shown = rule
        shown.groupBy = rule.groupBy + [rule.fields.joined(separator: "+")]
        let presentation = CompiledCorrelation(rule: shown, slots: correlation.slots, summary: correlation.summary)
        return DetectionEngine.alert(presentation, group: group, key: key, window: 0..<1, anchor: entry, event: event)
    }

    private static func remember(_ correlation: inout CorrelationState, key: String, value: String, time: Int64, forgetAfter: Int64, cap: Int) -> (isNew: Bool, learningStart: Int64) {
        let start = min(correlation.learningStart ?? time, time)
        correlation.learningStart = start
        let last = correlation.knownValues[key]?[value]
        let isNew = last.map { $0 <= time - forgetAfter } ?? true
        correlation.knownValues[key, default: [:]][value] = max(last ?? time, time)
        if let count = correlation.knownValues[key]?.count, count > cap,
           let oldest = correlation.knownValues[key]?.min(by: { ($0.value, $0.key) < ($1.value, $1.key) })?.key {
            correlation.knownValues[key]?[oldest] = nil
        }
        return (isNew, start)
    }

    /// Keeps a correlation under its group cap by dropping the least recently updated groups.
    private mutating func makeRoom(in index: Int) {
        let live = correlationStates[index].groups.count + correlationStates[index].knownValues.count
        guard live >= options.maxGroupsPerRule else { return }
        // Drop a tenth at once: the selection behind it is then paid once per tenth of the cap
        // in new groups, which keeps a spray of random identities cheap. The candidate lists are
        // built and released before the tables change, so nothing is copied on write.
        let toDrop = max(1, options.maxGroupsPerRule / 10)
        let groups = DetectionEngine.oldest(toDrop, of: correlationStates[index].groups.lazy.map { ($0.key, $0.value.lastUpdate) })
        let values = DetectionEngine.oldest(max(0, toDrop - groups.count), of: correlationStates[index].knownValues.lazy.map { ($0.key, $0.value.values.max() ?? 0) })
        for key in groups { correlationStates[index].groups[key] = nil }
        for key in values { correlationStates[index].knownValues[key] = nil }
        core.counters.evictions += groups.count + values.count
    }

    /// The `count` keys with the oldest times, ties broken by key so a replay evicts the same
    /// groups. Sorts only the times (cheap), then picks the keys at or below the threshold.
    static func oldest(_ count: Int, of entries: some Sequence<(String, Int64)>) -> [String] {
        guard count > 0 else { return [] }
        let all = Array(entries)
        guard all.count > count else { return all.map(\.0) }
        var times = all.map(\.1)
        times.sort()
        let threshold = times[count - 1]
        var chosen = all.filter { $0.1 < threshold }.map(\.0)
        let ties = all.filter { $0.1 == threshold }.map(\.0).sorted()
        chosen += ties.prefix(count - chosen.count)
        return chosen
    }

    /// Decides the windows of a window-end correlation that closed by `limit`.
    mutating func closeWindows(_ index: Int, upTo limit: Int64) -> [Alert] {
        decideWindows(index, upTo: limit).flatMap { emit($0, from: index) }
    }

    private mutating func decideWindows(_ index: Int, upTo limit: Int64) -> [Alert] {
        let correlation = ruleSet.correlations[index]
        let rule = correlation.rule
        guard let next = correlationStates[index].nextDecision, next <= limit else { return [] }
        let groups = correlationStates[index].groups
        var alerts: [Alert] = []
        for key in groups.keys.sorted() {
            guard let start = groups[key]?.windowStart, start + rule.timespan <= limit else { continue }
            let decided = withCorrelationState(index) { state in DetectionEngine.update(&state.groups[key, default: GroupState()]) { group -> [Alert] in
                var found: [Alert] = []
                while let windowStart = group.windowStart, windowStart + rule.timespan <= limit {
                    let end = group.entries.lowerBound(of: windowStart + rule.timespan)
                    let range = group.entries.lowerBound(of: windowStart)..<end
                    if !range.isEmpty, DetectionEngine.holds(correlation, group.entries, range) {
                        found.append(DetectionEngine.alert(correlation, group: group, key: key, window: range, anchor: group.entries[range.upperBound - 1], event: nil))
                    }
                    group.entries.removeSubrange(..<end)
                    group.windowStart = group.entries.first?.time
                }
                return found
            } }
            alerts += decided
        }
        let upcoming = correlationStates[index].groups.values.compactMap { $0.windowStart.map { $0 + rule.timespan } }.min()
        correlationStates[index].nextDecision = upcoming
        return alerts
    }

    /// Drops matches older than every window and the lateness, and the groups left empty.
    mutating func evictOldEntries() {
        guard let newest = core.maxSeen else { return }
        for (index, correlation) in ruleSet.correlations.enumerated() where !correlation.decidesAtWindowEnd {
            let horizon = newest - correlation.rule.timespan - options.lateness
            // A full pass costs as much as the state is large: do it once per quarter timespan
            // of event time (at least a minute), not on every batch of events.
            let interval = max(60, correlation.rule.timespan / 4)
            guard correlationPresent[index] else { continue }
            if let last = correlationStates[index].lastEviction, newest - last < interval { continue }
            var current = correlationStates[index]
            current.lastEviction = newest
            correlationStates[index] = CorrelationState()   // own the value: mutate without copying
            // Trim in place through the values view (no hashing); only emptied groups are
            // looked up again, to remove them.
            var emptied: [String] = []
            var position = current.groups.startIndex
            while position != current.groups.endIndex {
                let cut = current.groups.values[position].entries.upperBound(of: horizon)
                if cut == current.groups.values[position].entries.count {
                    emptied.append(current.groups.keys[position])
                } else if cut > 0 {
                    current.groups.values[position].entries.removeFirst(cut)
                }
                current.groups.formIndex(after: &position)
            }
            for key in emptied { current.groups[key] = nil }
            for key in Array(current.knownValues.keys) {
                current.knownValues[key] = current.knownValues[key]!.filter { $0.value > horizon }
                if current.knownValues[key]!.isEmpty { current.knownValues[key] = nil }
            }
            correlationStates[index] = current
        }
    }
}

/// The texts of the fields already read from the event being processed: correlations that
/// read the same field (a user's email as one's group and another's value) then keep one
/// string between them instead of one each.
struct EventTexts {
    private var read: [(path: String, text: String?)] = []

    mutating func text(_ path: FieldPath, _ view: EventView) -> String? {
        for entry in read where entry.path == path.text { return entry.text }
        let text = view.text(path)
        read.append((path.text, text))
        return text
    }
}

extension Array where Element == GroupState.Entry {
    /// The first index whose time is greater than `time`.
    func upperBound(of time: Int64) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle].time <= time { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The first index whose time is at least `time`.
    func lowerBound(of time: Int64) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle].time < time { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
