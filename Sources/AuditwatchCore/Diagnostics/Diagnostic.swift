/// One finding about a rule, test, config or input file: a value, rendered by `DiagnosticRenderer`.
public struct Diagnostic: Error, Sendable, Hashable {
    public enum Severity: String, Sendable, Hashable, Comparable {
        case error, warning, note

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            let order: [Severity] = [.error, .warning, .note]
            return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
        }
    }

    public var severity: Severity
    public var location: SourceLocation?
    /// The rule (or test, or notifier) the finding belongs to, when known.
    public var ruleID: String?
    public var message: String
    /// The source line holds a credential: it is never quoted (the location still is).
    public var hidesSource = false

    public init(_ severity: Severity, _ message: String, at location: SourceLocation?, ruleID: String? = nil) {
        self.severity = severity
        self.message = message
        self.location = location
        self.ruleID = ruleID
    }

    public static func error(_ message: String, at location: SourceLocation?, ruleID: String? = nil) -> Diagnostic {
        Diagnostic(.error, message, at: location, ruleID: ruleID)
    }

    public static func warning(_ message: String, at location: SourceLocation?, ruleID: String? = nil) -> Diagnostic {
        Diagnostic(.warning, message, at: location, ruleID: ruleID)
    }

    public static func note(_ message: String, at location: SourceLocation?, ruleID: String? = nil) -> Diagnostic {
        Diagnostic(.note, message, at: location, ruleID: ruleID)
    }
}

extension Array where Element == Diagnostic {
    /// Whether any finding is an error.
    public var hasErrors: Bool { contains { $0.severity == .error } }

    /// Findings in file, line, column order; findings without a place first.
    public func sortedByLocation() -> [Diagnostic] {
        enumerated().sorted { left, right in
            switch (left.element.location, right.element.location) {
            case let (l?, r?): return l == r ? left.offset < right.offset : l < r
            case (nil, _?): return true
            case (_?, nil): return false
            case (nil, nil): return left.offset < right.offset
            }
        }.map(\.element)
    }
}
