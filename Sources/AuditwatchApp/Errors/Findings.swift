public import AuditwatchCore
public import AuditwatchService

/// What a load or a command has to tell the user, in order: located diagnostics (rendered by
/// `DiagnosticRenderer` against `sources`) and plain lines, each with the level it has in a log.
public struct Findings: Sendable {
    public enum Part: Sendable {
        case diagnostics([Diagnostic])
        case note(LogThreshold, String)
    }

    public var sources: SourceFiles
    public var parts: [Part]

    public init(sources: SourceFiles = SourceFiles(), parts: [Part] = []) {
        self.sources = sources
        self.parts = parts
    }

    public init(diagnostics: [Diagnostic], sources: SourceFiles = SourceFiles()) {
        self.init(sources: sources, parts: diagnostics.isEmpty ? [] : [.diagnostics(diagnostics)])
    }

    public init(note level: LogThreshold, _ text: String) {
        self.init(parts: [.note(level, text)])
    }

    public var isEmpty: Bool { parts.isEmpty }

    /// Every diagnostic, in order.
    public var diagnostics: [Diagnostic] {
        parts.flatMap { part -> [Diagnostic] in
            if case .diagnostics(let list) = part { return list }
            return []
        }
    }

    public mutating func append(_ diagnostics: [Diagnostic]) {
        if !diagnostics.isEmpty { parts.append(.diagnostics(diagnostics)) }
    }

    public mutating func append(note level: LogThreshold, _ text: String) {
        parts.append(.note(level, text))
    }
}
