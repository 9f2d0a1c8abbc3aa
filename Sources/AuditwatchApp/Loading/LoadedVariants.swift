public import AuditwatchConfig
public import AuditwatchCore
import AuditwatchService
import AuditwatchYAML
import AuditwatchZones

/// The rule sets of organizations tuned apart (`sources_dir`, `sources:` with tuning keys): the
/// rule files are read once, and each distinct effective tuning (the config's, then the
/// organization's over it) is compiled once and shared. Errors a variant finds (a rule or calendar
/// an organization names that the pack lacks…) are collected for every organization and fail closed.
public enum LoadedVariants {
    /// What the organizations run: their variants by source name (the config's own rule set for those
    /// tuned like it), and how many rule sets were compiled in all, the config's included.
    public struct Result: Sendable {
        public var variants: [String: RuleVariant] = [:]
        public var compiled = 0
    }

    public static func load(
        _ config: ServiceConfig, base tuning: RuleTuning, ruleSet: RuleSet, sources: SourceFiles,
        refusal: String = "nothing was run"
    ) throws(AppError) -> Result {
        var cache = RuleVariants()
        _ = cache.variant(for: tuning) { _ in ruleSet }
        var result = Result()
        var loader = RuleLoader(zones: ZoneDatabase())
        var parsed: RuleLoader.Parsed?
        var problems: [Diagnostic] = []
        var files = sources
        for source in config.sources where !source.tuning.isEmpty {
            let effective = tuning.merged(with: source.tuning)
            do throws(VariantErrors) {
                result.variants[source.name] = try cache.variant(for: effective) { tuned throws(VariantErrors) in
                    let read = parsed ?? loader.parse(config.rulePaths)
                    parsed = read
                    loader.tuning = tuned
                    let loaded = loader.load(read)
                    guard let ruleSet = loaded.ruleSet else {
                        files.merge(loaded.sources)
                        throw VariantErrors(diagnostics: loaded.diagnostics.filter { $0.severity == .error })
                    }
                    return ruleSet
                }
            } catch {
                problems += error.diagnostics.filter { !problems.contains($0) }
            }
        }
        guard problems.isEmpty else {
            var findings = Findings(diagnostics: problems.sortedByLocation(), sources: files)
            let count = problems.count
            findings.append(
                note: .error,
                "auditwatch: \(count) error\(count == 1 ? "" : "s") in the organizations' tuning; \(refusal)")
            throw .diagnostics(findings)
        }
        result.compiled = cache.count
        return result
    }

    private struct VariantErrors: Error {
        var diagnostics: [Diagnostic]
    }
}
