import AuditwatchCore
import Foundation

/// Loads rules from files and directory trees: every `*.yml`/`*.yaml`, several documents per
/// file. It collects every problem of every file; callers refuse to run when any is an error.
public struct RuleLoader {
    /// What a load produced.
    public struct Result: Sendable {
        public var rules: [CompiledRule] = []
        public var diagnostics: [Diagnostic] = []
        public var sources = SourceFiles()
        /// Files read, in load order.
        public var files: [String] = []
        /// Rules written for another log source, loaded but not run.
        public var skipped: [Rule] = []
        /// The rule set, when loading found no error.
        public var ruleSet: RuleSet? { diagnostics.hasErrors ? nil : RuleSet(rules) }
    }

    public init() {}

    /// Loads every rule file under `paths` (files or directories).
    public func load(_ paths: [String]) -> Result {
        var result = Result()
        var files: [String] = []
        for path in paths {
            switch RuleFiles.find(path) {
            case .success(let found):
                files += found
            case .failure(let problem):
                result.diagnostics.append(.error(problem.message, at: nil))
            }
        }
        var firstDefinition: [String: SourceLocation] = [:]
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                result.diagnostics.append(.error("cannot read rule file '\(file)'", at: nil))
                continue
            }
            let text = String(decoding: data, as: UTF8.self)
            result.files.append(file)
            result.sources.add(file, text: text)
            let parsed = YAMLDocumentReader.read(text, file: file)
            result.diagnostics += parsed.diagnostics
            for document in parsed.documents {
                load(document, into: &result, firstDefinition: &firstDefinition)
            }
        }
        return result
    }

    /// Loads the rules of one YAML text (for tests and `rules validate -`).
    public func load(text: String, file: String) -> Result {
        var result = Result()
        result.files = [file]
        result.sources.add(file, text: text)
        let parsed = YAMLDocumentReader.read(text, file: file)
        result.diagnostics += parsed.diagnostics
        var firstDefinition: [String: SourceLocation] = [:]
        for document in parsed.documents { load(document, into: &result, firstDefinition: &firstDefinition) }
        return result
    }

    private func load(_ document: DocumentNode, into result: inout Result, firstDefinition: inout [String: SourceLocation]) {
        switch DocumentKind.of(document) {
        case .empty, .tests:
            return
        case .unknown(let message):
            result.diagnostics.append(.error(message, at: document.location))
        case .unsupported(let what):
            result.diagnostics.append(.error("\(what) documents are not supported by this version of auditwatch", at: document.location))
        case .rule:
            let decoded = RuleDecoder.decode(document)
            var diagnostics = decoded.diagnostics
            guard let rule = decoded.rule else {
                result.diagnostics += diagnostics
                return
            }
            if let first = firstDefinition[rule.id] {
                diagnostics.append(.error("duplicate rule id '\(rule.id)'; it is also defined at \(first)", at: rule.location, ruleID: rule.id))
            } else {
                firstDefinition[rule.id] = rule.location
            }
            // Compile even a rule with errors, so one run reports all of its problems.
            let compiled = RuleCompiler.compile(rule)
            diagnostics += compiled.diagnostics
            result.diagnostics += diagnostics
            guard let compiledRule = compiled.rule, !diagnostics.hasErrors else { return }
            if let source = rule.logSource, !source.isOpenAIAuditLog {
                result.diagnostics.append(.note("rule is for logsource product '\(source.product ?? "?")' service '\(source.service ?? "?")', not the OpenAI audit log; loaded but not run", at: rule.location, ruleID: rule.id))
                result.skipped.append(rule)
                return
            }
            result.rules.append(compiledRule)
        }
    }
}
