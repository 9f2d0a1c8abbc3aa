import AuditwatchState
import Foundation

/// A replica's name when `run --replica` gives none: host name, "-", process id (unique on a
/// host, and a restarted process is a new replica).
public enum ReplicaName {
    public static var `default`: String { StateLock.hostName + "-" + String(ProcessInfo.processInfo.processIdentifier) }
}
