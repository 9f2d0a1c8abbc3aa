public import AuditwatchCore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One process per state file: an exclusive `flock` on `<state>.lock`, held while the process
/// runs, with the holder's pid and host written in it. The kernel releases it when the process
/// ends however it ends (`kill -9` included), so a stale lock never blocks a restart; a second
/// process on the same state refuses to start, naming the holder.
public final class StateLock {
    /// Who holds a lock, as written in the lock file.
    public struct Holder: Sendable, Equatable, CustomStringConvertible {
        public var pid: Int32
        public var host: String
        public var since: Int64
        public var description: String { "auditwatch process \(pid) on \(host)" }
    }

    public let path: String
    private let descriptor: Int32

    /// The lock file of `statePath`.
    public static func lockPath(for statePath: String) -> String { statePath + ".lock" }

    /// Takes the lock of `statePath`, or throws naming the process that holds it.
    public init(statePath: String) throws(StateError) {
        path = StateLock.lockPath(for: statePath)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw StateError("cannot open lock file '\(path)': \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = StateLock.readHolder(descriptor)
            close(descriptor)
            let who = holder.map { "\($0) (since \(StateLock.format($0.since)))" } ?? "another process"
            throw StateError(
                "state file '\(statePath)' is in use by \(who); one auditwatch process per state file (lock \(path))")
        }
        self.descriptor = descriptor
        let me = Holder(pid: getpid(), host: StateLock.hostName, since: Int64(Date().timeIntervalSince1970))
        let text = "\(me.pid) \(me.host) \(me.since)\n"
        _ = ftruncate(descriptor, 0)
        _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        _ = fsync(descriptor)
    }

    deinit {
        _ = ftruncate(descriptor, 0)
        close(descriptor)  // releases the flock
    }

    /// The process holding the lock of `statePath`, or nil when nobody holds it (no process,
    /// or one that died: the kernel dropped its lock).
    public static func holder(statePath: String) -> Holder? {
        let path = lockPath(for: statePath)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        // Getting a shared lock means no one holds the exclusive one.
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            _ = flock(descriptor, LOCK_UN)
            return nil
        }
        return readHolder(descriptor)
    }

    /// This machine's name, as the lock file records it.
    public static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown-host" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func readHolder(_ descriptor: Int32) -> Holder? {
        var bytes = [UInt8](repeating: 0, count: 512)
        let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, 511, 0) }
        guard count > 0 else { return nil }
        let fields = String(decoding: bytes[..<count], as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard fields.count >= 2, let pid = Int32(fields[0]) else { return nil }
        return Holder(pid: pid, host: String(fields[1]), since: fields.count > 2 ? Int64(fields[2]) ?? 0 : 0)
    }

    private static func format(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
