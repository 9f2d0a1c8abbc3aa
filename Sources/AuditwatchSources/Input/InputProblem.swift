public import AuditwatchCore

/// A line or value of the input that is not a usable event.
public struct InputProblem: Error, Sendable, Equatable {
    public var file: String
    public var line: Int
    public var column: Int?
    public var message: String

    public init(file: String, line: Int, column: Int?, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// The problem as a located diagnostic.
    public var diagnostic: Diagnostic {
        .error(message, at: SourceLocation(file: file, line: line, column: column ?? 1))
    }
}
