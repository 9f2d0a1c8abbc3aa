extension RuleTuning {
    /// What the tuning does to the rules, without where it was written: equal keys compile to the
    /// same rule set, so organizations tuned alike share one (`RuleVariants`). Placeholders and
    /// calendars are sorted by name, disabled rules are a set, a rule's last level wins.
    public var variantKey: String {
        var key = ""
        func add(_ text: String) { key += "\(text.utf8.count):\(text)" }
        key += "p"
        for name in placeholders.keys.sorted() {
            add(name)
            key += "[\(placeholders[name]!.count)"
            placeholders[name]!.forEach(add)
        }
        key += "c"
        for name in calendars.keys.sorted() {
            add(name)
            key += RuleTuning.canonical(calendars[name]!.node)
        }
        key += "d"
        Set(disabledRules.map(\.value)).sorted().forEach(add)
        key += "l"
        var levels: [String: RuleLevel] = [:]
        for override in ruleLevels { levels[override.rule.value] = override.level }
        for rule in levels.keys.sorted() {
            add(rule)
            add(levels[rule]!.rawValue)
        }
        key += "z"
        timeZone.map { add($0.value) }
        return key
    }

    /// A node's content without locations; mapping entries sorted by key (their order means nothing).
    static func canonical(_ node: DocumentNode) -> String {
        switch node.content {
        case .scalar(let scalar):
            let text = "\(scalar.style)|\(scalar.tag ?? "")|\(scalar.text)"
            return "s\(text.utf8.count):\(text)"
        case .sequence(let items):
            return "[" + items.map(canonical).joined() + "]"
        case .mapping(let entries):
            return "{" + entries.map { canonical($0.key) + canonical($0.value) }.sorted().joined() + "}"
        }
    }
}
