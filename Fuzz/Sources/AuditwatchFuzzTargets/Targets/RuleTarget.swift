import AuditwatchCore
import AuditwatchYAML
import AuditwatchZones

/// Rule files: the whole loading pipeline, then the compiled rules on the sample events.
enum RuleTarget {
    static func run(_ input: UnsafeRawBufferPointer) {
        load(String(decoding: input, as: UTF8.self))
    }

    /// Loads `text` as a rule file and, when it loads, matches and explains it.
    static func load(_ text: String) {
        let loaded = RuleLoader(zones: ZoneDatabase()).load(text: text, file: "fuzz.yml")
        let renderer = DiagnosticRenderer(sources: loaded.sources)
        for diagnostic in loaded.diagnostics.prefix(8) { _ = renderer.text(diagnostic) }
        guard let ruleSet = loaded.ruleSet else { return }
        var engine = DetectionEngine(ruleSet: ruleSet)
        for event in FuzzFixtures.sampleEvents {
            _ = ruleSet.matches(event)
            _ = engine.process(event)
        }
        _ = engine.finish()
    }
}
