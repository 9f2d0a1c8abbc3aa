import AuditwatchCore
import Testing

private func at(_ line: Int, _ file: String = "a.yml") -> AuditwatchCore.SourceLocation {
    AuditwatchCore.SourceLocation(file: file, line: line, column: 1)
}

private func scalar(_ text: String, _ file: String) -> DocumentNode {
    DocumentNode(.scalar(.init(text)), at: at(1, file))
}

/// `{key: value, …}` located in `file`.
private func mapping(_ pairs: [(String, String)], _ file: String) -> DocumentNode {
    DocumentNode(
        .mapping(pairs.map { DocumentNode.MappingEntry(key: scalar($0.0, file), value: scalar($0.1, file)) }),
        at: at(1, file))
}

/// An organization's tuning as a file would give it; `file` changes only the locations.
private func tuning(
    file: String, disabled: [String] = [], level: String? = nil, zone: String? = nil, countries: [String]? = nil,
    calendar: [(String, String)]? = nil
) -> RuleTuning {
    var tuning = RuleTuning()
    tuning.disabledRules = disabled.enumerated().map { Located($1, at: at($0 + 1, file)) }
    if let level {
        tuning.ruleLevels = [.init(rule: Located("brute_force_user", at: at(9, file)), level: .init(rawValue: level)!)]
    }
    tuning.timeZone = zone.map { Located($0, at: at(3, file)) }
    if let countries { tuning.placeholders = ["expected_countries": countries] }
    if let calendar { tuning.calendars = ["business_hours": .init(node: mapping(calendar, file))] }
    return tuning
}

@Suite("Rule set variants: one compiled rule set per distinct tuning")
struct RuleVariantsTests {
    @Test("the key ignores where a tuning was written, the order of sets and mappings; it sees every value")
    func keys() {
        let one = tuning(
            file: "a.yml", disabled: ["x", "y"], level: "critical",
            calendar: [("location", "UTC"), ("holidays", "2026-12-24")])
        let same = tuning(
            file: "b.yml", disabled: ["y", "x", "x"], level: "critical",
            calendar: [("holidays", "2026-12-24"), ("location", "UTC")])
        #expect(one.variantKey == same.variantKey)
        #expect(RuleTuning().variantKey == RuleTuning().variantKey)
        let differing = [
            tuning(file: "a.yml", disabled: ["x"], level: "critical"),
            tuning(file: "a.yml", disabled: ["x", "y"], level: "high"),
            tuning(file: "a.yml", disabled: ["x", "y"], level: "critical", zone: "Europe/Paris"),
            tuning(file: "a.yml", disabled: ["x", "y"], level: "critical", countries: ["DE"]),
            tuning(file: "a.yml", disabled: ["x", "y"], level: "critical", countries: []),
            tuning(file: "a.yml", disabled: ["x", "y"], level: "critical", calendar: [("location", "UTC")]),
            RuleTuning(),
        ]
        let keys = Set([one.variantKey] + differing.map(\.variantKey))
        #expect(keys.count == differing.count + 1, "every value changes the key")
        // Values that would run together if the key were concatenated without lengths.
        #expect(
            tuning(file: "a", disabled: ["ab", "c"]).variantKey != tuning(file: "a", disabled: ["a", "bc"]).variantKey)
    }

    @Test(
        "an organization's tuning over the config's: calendar keys one by one, its time_zone over the config's locations"
    )
    func merging() {
        let config = tuning(
            file: "auditwatch.yml", disabled: ["x"], countries: ["US"],
            calendar: [("location", "Europe/Berlin"), ("holidays", "2026-12-24")])
        let organization = tuning(file: "org.yml", disabled: ["y"], zone: "America/New_York", countries: ["DE"])
        let merged = config.merged(with: organization)
        #expect(merged.placeholders == ["expected_countries": ["DE"]])
        #expect(merged.disabledRules.map(\.value) == ["x", "y"])
        #expect(merged.timeZone?.value == "America/New_York")
        let calendar = merged.calendars["business_hours"]?.node
        #expect(calendar?["location"] == nil, "the organization's time zone places the calendar")
        #expect(calendar?["holidays"]?.scalar?.text == "2026-12-24", "the config's other keys stay")
        let own = config.merged(with: tuning(file: "org.yml", calendar: [("location", "Asia/Tokyo")]))
        #expect(own.calendars["business_hours"]?.node["location"]?.scalar?.text == "Asia/Tokyo")
        #expect(own.calendars["business_hours"]?.node["holidays"]?.scalar?.text == "2026-12-24")
        #expect(
            config.merged(with: RuleTuning()).variantKey == config.variantKey,
            "an untuned organization runs the config's")
    }

    @Test("1,000 organizations tuned three ways compile three rule sets, shared by reference")
    func sharing() {
        var variants = RuleVariants()
        var compiled = 0
        let tunings = [
            tuning(file: "", disabled: ["login_failed"]), tuning(file: "", zone: "America/New_York"),
            tuning(file: "", level: "critical"),
        ]
        var held: [RuleVariant] = []
        for index in 0..<1_000 {
            // Each organization's tuning is its own value, located in its own file.
            var own = tuning(file: "orgs/org-\(index).yml")
            own = own.merged(with: tunings[index % 3])
            held.append(
                variants.variant(for: own) { _ in
                    compiled += 1
                    return RuleSet([])
                })
        }
        #expect(compiled == 3 && variants.count == 3)
        #expect(held[0] === held[3] && held[1] === held[997] && held[2] === held[998])
        #expect(held[0] !== held[1] && held[1] !== held[2])
        #expect(Set(held.map { ObjectIdentifier($0) }).count == 3)
    }
}
