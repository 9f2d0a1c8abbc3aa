public import Logging

/// The least severe level the service logs (`--log-level`, `logging.level`): the four names the
/// config and the command line accept, mapped onto swift-log's levels.
public enum LogThreshold: String, Sendable, CaseIterable {
    case debug, info, warning, error

    /// The swift-log level it stands for.
    public var level: Logger.Level {
        switch self {
        case .debug: .debug
        case .info: .info
        case .warning: .warning
        case .error: .error
        }
    }
}
