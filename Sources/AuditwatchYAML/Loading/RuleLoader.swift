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

    /// Rule files read into located documents, before any tuning: organizations tuned apart
    /// assemble their rule sets from one read (`load(_:)` with another `tuning`).
    public struct Parsed: Sendable {
        public var documents: [DocumentNode] = []
        public var diagnostics: [Diagnostic] = []
        public var sources = SourceFiles()
        public var files: [String] = []
    }

    /// Loads every rule file under `paths` (files or directories).
    public func load(_ paths: [String]) -> Loaded {
        load(parse(paths))
    }

    /// Reads and parses every rule file under `paths` (files or directories).
    public func parse(_ paths: [String]) -> Parsed {
        var parsed = Parsed()
        var texts: [(file: String, text: String)] = []
        for path in paths {
            switch RuleFiles.find(path) {
            case .success(let found):
                for file in found {
                    guard let data = FileManager.default.contents(atPath: file) else {
                        parsed.diagnostics.append(.error("cannot read rule file '\(file)'", at: nil))
                        continue
                    }
                    texts.append((file, String(decoding: data, as: UTF8.self)))
                }
            case .failure(let problem):
                parsed.diagnostics.append(.error(problem.message, at: nil))
            }
        }
        parse(texts, into: &parsed)
        return parsed
    }

    /// Loads the documents of YAML texts given directly (tests, standard input).
    public func load(text: String, file: String) -> Loaded {
        var parsed = Parsed()
        parse([(file, text)], into: &parsed)
        return load(parsed)
    }

    private func parse(_ texts: [(file: String, text: String)], into parsed: inout Parsed) {
        for (file, text) in texts {
            parsed.files.append(file)
            parsed.sources.add(file, text: text)
            let read = YAMLDocumentReader.read(text, file: file)
            parsed.diagnostics += read.diagnostics
            parsed.documents += read.documents
        }
    }

    /// Links parsed documents into rules with this loader's tuning (the core's assembler).
    public func load(_ parsed: Parsed) -> Loaded {
        var result = Loaded()
        result.files = parsed.files
        result.sources = parsed.sources
        var assembler = RuleSetAssembler(zones: zones)
        assembler.calendarOverrides = calendarOverrides
        assembler.tuning = tuning
        var assembled = AssembledRules()
        assembled.diagnostics = parsed.diagnostics
        assembler.assemble(parsed.documents, into: &assembled)
        result.rules = assembled.rules
        result.diagnostics = assembled.diagnostics
        result.skipped = assembled.skipped
        result.calendars = assembled.calendars
        result.filters = assembled.filters
        result.placeholders = assembled.placeholders
        result.placeholderUses = assembled.placeholderUses
        result.correlations = assembled.correlations
        result.tests = assembled.tests
        return result
    }
}
