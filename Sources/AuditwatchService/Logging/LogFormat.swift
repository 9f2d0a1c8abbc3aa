/// How the service writes its log lines (`--log-format`, `logging.format`).
public enum LogFormat: String, Sendable, CaseIterable {
    /// `TIME LEVEL message key=value…`, for people.
    case text
    /// One JSON object a line: `time`, `level`, `msg`, then the fields, each key once.
    case json
}
