public import AuditwatchCore
import Foundation

/// Loads rules from files and directory trees: every `*.yml`/`*.yaml`, several documents per
/// file, rules, Sigma filters and calendars mixed freely. It reads the files into located
/// documents; `RuleSetAssembler` (in the core) links them. It collects every problem of every
/// file; callers refuse to run when any is an error.
public struct RuleLoader {
    /// What a load produced.
    public struct Loaded: Sendable {
        public var rules: [CompiledRule] = []
        public var diagnostics: [Diagnostic] = []
        public var sources = SourceFiles()
        /// Files read, in load order.
        public var files: [String] = []
        /// Rules written for another log source, loaded but not run.
        public var skipped: [Rule] = []
        public var calendars: [String: WorkingCalendar] = [:]
        public var filters: [SigmaFilter] = []
        /// The placeholder values the rules were expanded with: the files' defaults, then the tuning's.
        public var placeholders: [String: [String]] = [:]
        /// The placeholders each rule (by id) refers to, for the catalog.
        public var placeholderUses: [String: [String]] = [:]
        public var correlations: [CompiledCorrelation] = []
        /// `tests:` lists found in the files: the list, its file, and the rule it sits in (inline tests).
        public var tests: [(list: DocumentNode, file: String, rule: String?)] = []
        /// The rule set, when loading found no error.
        public var ruleSet: RuleSet? { diagnostics.hasErrors ? nil : RuleSet(rules, correlations: correlations) }
    }

    private let zones: any ZoneLookup
    /// Calendars that replace those of the same name in the files (a test's pinned calendars).
    public var calendarOverrides: [String: WorkingCalendar] = [:]
    /// The organization's tuning (auditwatch.yml, `--placeholders`): placeholder values, calendar
    /// settings, disabled rules and level overrides, applied to every rule loaded.
    public var tuning = RuleTuning()

    /// `zones` resolves the calendars' and templates' time zones (the tool passes the system's zone database).
    public init(zones: any ZoneLookup) {
        self.zones = zones
    }

    /// Loads every rule file under `paths` (files or directories).
    public func load(_ paths: [String]) -> Loaded {
        var result = Loaded()
        var texts: [(file: String, text: String)] = []
        for path in paths {
            switch RuleFiles.find(path) {
            case .success(let found):
                for file in found {
                    guard let data = FileManager.default.contents(atPath: file) else {
                        result.diagnostics.append(.error("cannot read rule file '\(file)'", at: nil))
                        continue
                    }
                    texts.append((file, String(decoding: data, as: UTF8.self)))
                }
            case .failure(let problem):
                result.diagnostics.append(.error(problem.message, at: nil))
            }
        }
        load(texts, into: &result)
        return result
    }

    /// Loads the documents of YAML texts given directly (tests, standard input).
    public func load(text: String, file: String) -> Loaded {
        var result = Loaded()
        load([(file, text)], into: &result)
        return result
    }

    /// Reads each text into located documents, then leaves the linking to the core's assembler.
    private func load(_ texts: [(file: String, text: String)], into result: inout Loaded) {
        var documents: [DocumentNode] = []
        for (file, text) in texts {
            result.files.append(file)
            result.sources.add(file, text: text)
            let parsed = YAMLDocumentReader.read(text, file: file)
            result.diagnostics += parsed.diagnostics
            documents += parsed.documents
        }
        var assembler = RuleSetAssembler(zones: zones)
        assembler.calendarOverrides = calendarOverrides
        assembler.tuning = tuning
        var assembled = AssembledRules()
        assembled.diagnostics = result.diagnostics
        assembler.assemble(documents, into: &assembled)
        result.rules = assembled.rules
        result.diagnostics = assembled.diagnostics
        result.skipped = assembled.skipped
        result.calendars = assembled.calendars
        result.filters = assembled.filters
        result.placeholders = assembled.placeholders
        result.placeholderUses = assembled.placeholderUses
        result.correlations = assembled.correlations
        result.tests = assembled.tests
    }
}
