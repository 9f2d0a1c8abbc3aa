extension DetectionEngine {
    /// Reads what correlation `index`'s slot needs from one base-rule match; nil when the match
    /// does not take part (a group-by field is missing, or the counted value is). Made in the
    /// queue's form (`QueuedMatch`, numbered by `index`), so it is not converted on the way in.
    func pendingMatch(
        _ index: Int, slot slotIndex: Int, event: Event, eventID: String, position: Int, texts: inout EventTexts
    ) -> QueuedMatch? {
        let correlation = ruleSet.correlations[index]
        let slot = correlation.slots[slotIndex]
        let foldsValue = correlation.rule.kind == .valueCount
        let code = Int32(truncatingIfNeeded: index)
        // One view for every field read; with a single group field the key is that value's own
        // string (shared storage, not a joined copy), which is the common case, and the match
        // then holds no array of values.
        return event.withView { view -> QueuedMatch? in
            var single: String?
            var values: [String?] = []
            if slot.groupPaths.count == 1 {
                // As the reference: a match lacking a group-by field is in no group.
                guard let text = texts.text(slot.groupPaths[0], view) else { return nil }
                single = text
            } else {
                values.reserveCapacity(slot.groupPaths.count)
                for path in slot.groupPaths {
                    guard let text = texts.text(path, view) else { return nil }
                    values.append(text)
                }
            }
            var value: String?
            if slot.valuePaths.count == 1 {
                // value_count and new_value ignore matches that lack the field.
                guard let text = texts.text(slot.valuePaths[0], view) else { return nil }
                value = foldsValue ? CaseFold.fold(text) : text
            } else if !slot.valuePaths.isEmpty {
                var parts: [String] = []
                for path in slot.valuePaths {
                    guard let text = texts.text(path, view) else { return nil }
                    parts.append(foldsValue ? CaseFold.fold(text) : text)
                }
                value = GroupKey.join(parts)
            }
            let eventTexts =
                correlation.summaryPaths.isEmpty ? nil : correlation.summaryPaths.map { texts.text($0, view) }
            if let single {
                let key = CaseFold.fold(single)
                if key == single {
                    return QueuedMatch(
                        time: event.effectiveAt, key: key, eventID: eventID, value: value, storedValues: [],
                        valuesAreKey: true, eventTexts: eventTexts, correlation: code, slot: slotIndex,
                        position: position)
                }
                values = [single]
            }
            // As `PendingMatch.init`: a single value equal to the key is not stored.
            let key = DetectionEngine.foldedKey(values)
            let valuesAreKey = values.count == 1 && values[0] == key
            return QueuedMatch(
                time: event.effectiveAt, key: key, eventID: eventID, value: value,
                storedValues: valuesAreKey ? [] : values, valuesAreKey: valuesAreKey, eventTexts: eventTexts,
                correlation: code, slot: slotIndex, position: position)
        }
    }

    /// The group key of `values`: as the reference, group values compare case-insensitively
    /// (`Eve@x` and `eve@x` are one user), so the key is folded; the alert shows the values of
    /// the group's first match. For one field it is the value itself when already folded (no copy).
    static func foldedKey(_ values: [String?]) -> String {
        GroupKey.join(values, transform: CaseFold.fold)
    }

    /// Feeds a released match to its correlation; returns the alerts it raises.
    mutating func feedCorrelation(_ index: Int, _ match: borrowing QueuedMatch) -> [Alert] {
        consider(
            index, key: match.key, values: match.storedValues, valuesAreKey: match.valuesAreKey, entry: match.entry,
            eventTexts: match.eventTexts)
    }

    /// Feeds a lower correlation's alert to a chained correlation slot.
    private mutating func feedChain(_ index: Int, slot slotIndex: Int, alert: Alert) -> [Alert] {
        let slot = ruleSet.correlations[index].slots[slotIndex]
        let found = slot.groupFields.map { field in alert.group.first { $0.field == field }?.value ?? nil }
        guard !found.contains(where: { $0 == nil }) else { return [] }
        let entry = GroupState.Entry(
            time: alert.lastAt, eventID: alert.eventIDs.last ?? alert.id, slot: slotIndex, value: nil)
        return consider(
            index, key: DetectionEngine.foldedKey(found), values: found, valuesAreKey: false, entry: entry,
            eventTexts: nil)
    }

    /// `valuesAreKey`: the group-by values are just `[key]` (`values` is then empty).
    private mutating func consider(
        _ index: Int, key: String, values: [String?], valuesAreKey: Bool, entry: GroupState.Entry,
        eventTexts: [String?]?
    ) -> [Alert] {
        let correlation = ruleSet.correlations[index]
        let alert =
            correlation.rule.kind == .newValue
            ? recordValue(
                index, correlation, key: key, values: valuesAreKey ? [key] : values, entry: entry,
                eventTexts: eventTexts)
            : record(
                index, correlation, key: key,
                storedValues: valuesAreKey ? [] : GroupState.storedValues(values, key: key),
                entry: entry, eventTexts: eventTexts)
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
    private mutating func record(
        _ index: Int, _ correlation: CompiledCorrelation, key: String, storedValues: [String?],
        entry: GroupState.Entry, eventTexts: [String?]?
    ) -> Alert? {
        let rule = correlation.rule
        // One hash of the key, for the lookup and, for a new group, its table slot; the group is
        // then changed in place (`GroupTable.update`).
        let hash = GroupTable.hash(key)
        // Looked up through the inout access (`record` takes it next anyway): read through the
        // array's subscript, the whole table was copied first, each of its arrays retained.
        let existing = withCorrelationState(index) { $0.groups.find(key, hash: hash) }
        if existing == nil { makeRoom(in: index) }
        let options = self.options
        var dropped = 0
        let alert = withCorrelationState(index) { state -> Alert? in
            if correlation.decidesAtWindowEnd {
                let end = entry.time + rule.timespan
                state.nextDecision = min(state.nextDecision ?? end, end)
            }
            let number = existing ?? state.groups.add(key, hash: hash, values: storedValues)
            return state.groups.update(number) { group in
                DetectionEngine.insert(
                    entry, into: &group, key: key, correlation, options, eventTexts: eventTexts, dropped: &dropped)
            }
        }
        if dropped > 0 { core.counters.entriesDropped += dropped }
        return alert
    }

    private static func insert(
        _ entry: GroupState.Entry, into group: inout GroupState, key: String, _ correlation: CompiledCorrelation,
        _ options: EngineOptions, eventTexts: [String?]?, dropped: inout Int
    ) -> Alert? {
        let position = group.entries.upperBound(of: entry.time)
        group.entries.insert(entry, at: position)
        // Thresholds above the cap are refused at load, so the oldest entries dropped here are
        // never needed to reach one; they only bound memory under a flood.
        let over = group.entries.count - options.maxEntriesPerGroup
        if over > 0 {
            group.entries.removeFirst(over)
            dropped += over
        }
        if correlation.decidesAtWindowEnd {
            group.windowStart = min(group.windowStart ?? entry.time, entry.time)
            return nil
        }
        return DetectionEngine.evaluateSliding(correlation, &group, key: key, inserted: entry, eventTexts: eventTexts)
    }

    /// Fires when a window containing the new match first satisfies the condition; re-arms when
    /// the newest window no longer does. Matches arrive in time order (the reorder buffer), so
    /// the new match is normally the newest; a chained correlation's input may still land
    /// inside, and then the windows ending after it are checked too.
    private static func evaluateSliding(
        _ correlation: CompiledCorrelation, _ group: inout GroupState, key: String, inserted: GroupState.Entry,
        eventTexts: [String?]?
    ) -> Alert? {
        let span = correlation.rule.timespan
        let entries = group.entries
        // A window that emptied before this match re-arms the group: the condition was false
        // then, whether or not eviction has dropped the group yet (eviction runs on its own
        // schedule, so this keeps the alerts independent of it).
        if group.firing, correlation.emptyWindowRearms {
            let before = entries.lowerBound(of: inserted.time)
            if before == 0 || entries[before - 1].time < inserted.time - span { group.firing = false }
        }
        if group.firing {
            if !holds(correlation, entries, window(entries, endingAt: entries.count - 1, span: span)) {
                group.firing = false
            }
            return nil
        }
        var end = entries.lowerBound(of: inserted.time)
        while end < entries.count && entries[end].time - span <= inserted.time {
            let range = window(entries, endingAt: end, span: span)
            if holds(correlation, entries, range) {
                group.firing = true
                // The window ending at the new match's time is anchored at the new match (the
                // texts read are its own); a later window at its own newest match.
                let atInserted = entries[end].time == inserted.time
                let anchor = atInserted ? inserted : entries[range.upperBound - 1]
                return alert(
                    correlation, group: group, key: key, window: range, anchor: anchor,
                    eventTexts: atInserted ? eventTexts : nil)
            }
            end = range.upperBound
        }
        return nil
    }

    /// Entries in `[t - span, t]` where `t` is the time of entry `end` (ties included): both
    /// edges count, as in the reference (pySigma's SQL backend, `RANGE BETWEEN span PRECEDING
    /// AND CURRENT ROW`).
    static func window(_ entries: [GroupState.Entry], endingAt end: Int, span: Int64) -> Range<Int> {
        let time = entries[end].time
        return entries.lowerBound(of: time - span)..<entries.upperBound(of: time)
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
                guard let found = entries[range].first(where: { $0.slot == slot && $0.time >= after }) else {
                    return false
                }
                after = found.time
            }
            return true
        case .newValue:
            return false
        }
    }

    static func alert(
        _ correlation: CompiledCorrelation, group: GroupState, key: String, window range: Range<Int>,
        anchor: GroupState.Entry, eventTexts: [String?]?
    ) -> Alert {
        let rule = correlation.rule
        let entries = group.entries[range]
        let groupValues = zip(rule.groupBy, group.values(key: key, fields: rule.groupBy.count)).map {
            GroupValue(field: $0, value: $1)
        }
        let distinct = rule.kind == .valueCount ? Set(entries.compactMap(\.value)).count : nil
        let first = entries.first?.time ?? anchor.time
        let context = SummaryTemplate.Context(
            ruleID: rule.id, ruleTitle: rule.title, level: rule.level, count: entries.count, firstAt: first,
            lastAt: anchor.time,
            group: groupValues.map { ($0.field, $0.value ?? SummaryTemplate.missing) }, distinct: distinct,
            timespan: rule.timespan)
        return Alert(
            id: AlertID.make(ruleID: rule.id, group: groupValues, anchorEventID: anchor.eventID),
            ruleID: rule.id, ruleTitle: rule.title, level: rule.level, tags: rule.tags, group: groupValues,
            count: entries.count, firstAt: first, lastAt: anchor.time, eventIDs: entries.map(\.eventID),
            summary: correlation.summary.render(eventTexts: eventTexts, context: context))
    }

    /// `new_value`: alert the first time a value is seen for a group, after the learning period.
    private mutating func recordValue(
        _ index: Int, _ correlation: CompiledCorrelation, key: String, values: [String?], entry: GroupState.Entry,
        eventTexts: [String?]?
    ) -> Alert? {
        let rule = correlation.rule
        guard let value = entry.value else { return nil }
        // Through the inout access, as in `record`: the subscript copied the whole store.
        if withCorrelationState(index, { $0.knownValues[key] == nil }) { makeRoom(in: index) }
        let options = self.options
        let (isNew, learningStart, forgot) = withCorrelationState(index) { state in
            DetectionEngine.remember(
                &state, key: key, value: value, time: entry.time, forgetAfter: rule.timespan,
                cap: options.maxValuesPerGroup)
        }
        if forgot { core.counters.valuesForgotten += 1 }
        guard isNew, entry.time >= learningStart + rule.learning else { return nil }
        // The new value joins the group, so alerts (and suppression) are per value.
        var group = GroupState(values: values + [value])
        group.entries = [entry]
        var shown = rule
        shown.groupBy = rule.groupBy + [rule.fields.joined(separator: "+")]
        let presentation = CompiledCorrelation(rule: shown, slots: correlation.slots, summary: correlation.summary)
        return DetectionEngine.alert(
            presentation, group: group, key: key, window: 0..<1, anchor: entry, eventTexts: eventTexts)
    }

    private static func remember(
        _ correlation: inout CorrelationStore, key: String, value: String, time: Int64, forgetAfter: Int64, cap: Int
    ) -> (isNew: Bool, learningStart: Int64, forgot: Bool) {
        let start = min(correlation.learningStart ?? time, time)
        correlation.learningStart = start
        let last = correlation.knownValues[key]?[value]
        let isNew = last.map { $0 <= time - forgetAfter } ?? true
        correlation.knownValues[key, default: [:]][value] = max(last ?? time, time)
        if let count = correlation.knownValues[key]?.count, count > cap,
            let oldest = correlation.knownValues[key]?.min(by: { ($0.value, $0.key) < ($1.value, $1.key) })?.key
        {
            correlation.knownValues[key]?[oldest] = nil
            return (isNew, start, true)
        }
        return (isNew, start, false)
    }

    /// Keeps a correlation under its group cap by dropping the least recently updated groups.
    private mutating func makeRoom(in index: Int) {
        let live = correlationStates[index].groups.count + correlationStates[index].knownValues.count
        guard live >= options.maxGroupsPerRule else { return }
        // Drop a tenth at once (ties in update time broken by key, so a replay drops the same
        // groups): the groups come off the oldest end of the update order, O(1) each; `new_value`
        // values are still selected by sorting, once per tenth of the cap in new groups.
        let toDrop = max(1, options.maxGroupsPerRule / 10)
        let groups = correlationStates[index].groups.leastRecentlyUpdated(toDrop)
        let values = DetectionEngine.oldest(
            max(0, toDrop - groups.count),
            of: correlationStates[index].knownValues.lazy.map { ($0.key, $0.value.values.max() ?? 0) })
        for number in groups { correlationStates[index].groups.remove(number) }
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

    /// Decides the windows of a window-end correlation whose last second is before `limit`
    /// (every match that can fall in them has entered).
    mutating func closeWindows(_ index: Int, before limit: Int64) -> [Alert] {
        decideWindows(index, before: limit).flatMap { emit($0, from: index) }
    }

    /// Windows are `[start, start + timespan]`, both edges in, as the sliding ones.
    private mutating func decideWindows(_ index: Int, before limit: Int64) -> [Alert] {
        let correlation = ruleSet.correlations[index]
        let rule = correlation.rule
        guard let next = correlationStates[index].nextDecision, next < limit else { return [] }
        // Read through a borrowed table (a copy kept alive would make the updates below copy it).
        let due = DetectionEngine.due(in: correlationStates[index].groups, before: limit, timespan: rule.timespan)
        var alerts: [Alert] = []
        for (key, number) in due {
            let decided = withCorrelationState(index) { state in
                state.groups.update(number) { group -> [Alert] in
                    var found: [Alert] = []
                    while let windowStart = group.windowStart, windowStart + rule.timespan < limit {
                        let end = group.entries.upperBound(of: windowStart + rule.timespan)
                        let range = group.entries.lowerBound(of: windowStart)..<end
                        if !range.isEmpty, DetectionEngine.holds(correlation, group.entries, range) {
                            found.append(
                                DetectionEngine.alert(
                                    correlation, group: group, key: key, window: range,
                                    anchor: group.entries[range.upperBound - 1], eventTexts: nil))
                        }
                        group.entries.removeSubrange(..<end)
                        group.windowStart = group.entries.first?.time
                    }
                    return found
                }
            }
            if correlationStates[index].groups.matchCount(number) == 0 {
                correlationStates[index].groups.remove(number)
            }
            alerts += decided
        }
        let upcoming = DetectionEngine.earliestWindowEnd(in: correlationStates[index].groups, timespan: rule.timespan)
        correlationStates[index].nextDecision = upcoming
        return alerts
    }

    /// The groups whose open window ends before `limit`, with their keys, in key order.
    private static func due(in groups: borrowing GroupTable, before limit: Int64, timespan: Int64) -> [(String, Int32)]
    {
        groups.numbers.compactMap { number in
            groups.windowStart(number).map { $0 + timespan < limit } ?? false ? (groups.key(number), number) : nil
        }.sorted { $0.0 < $1.0 }
    }

    private static func earliestWindowEnd(in groups: borrowing GroupTable, timespan: Int64) -> Int64? {
        groups.numbers.compactMap { groups.windowStart($0).map { $0 + timespan } }.min()
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
            correlationStates[index] = CorrelationStore()  // own the value: mutate without copying
            // Trim in place by group number (no hashing); a group of one match is decided from
            // its time alone.
            for number in current.groups.numbers {
                // Windows are [t - timespan, t] with t at or after the watermark: an entry at the
                // horizon itself can still count.
                if let time = current.groups.singleTime(number) {
                    if time < horizon { current.groups.remove(number) }
                    continue
                }
                let emptied = current.groups.update(number) { group -> Bool in
                    let cut = group.entries.lowerBound(of: horizon)
                    if cut == group.entries.count { return true }
                    if cut > 0 { group.entries.removeFirst(cut) }
                    return false
                }
                if emptied { current.groups.remove(number) }
            }
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
    // The first two fields inline: most events feed correlations that read one or two fields,
    // and then no array is made per event.
    private var first: (path: String, text: String?)?
    private var second: (path: String, text: String?)?
    private var more: [(path: String, text: String?)] = []

    mutating func text(_ path: FieldPath, _ view: EventView) -> String? {
        if let first {
            if first.path == path.text { return first.text }
            if let second {
                if second.path == path.text { return second.text }
                for entry in more where entry.path == path.text { return entry.text }
            }
        }
        let text = view.text(path)
        if first == nil {
            first = (path.text, text)
        } else if second == nil {
            second = (path.text, text)
        } else {
            more.append((path.text, text))
        }
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
