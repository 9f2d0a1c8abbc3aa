import Foundation

/// `<state>.pid`: written by the service once it holds the state's lock, removed on exit only
/// when it still names this process (a newer service may have written its own since).
public struct PidFile: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    public func write() {
        try? "\(getpid())\n".write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// The pid the file names, if it names one.
    public var pid: Int32? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    public func removeIfOwned() {
        if pid == getpid() { try? FileManager.default.removeItem(atPath: path) }
    }
}
