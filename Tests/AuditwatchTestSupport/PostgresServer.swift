public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A throwaway PostgreSQL server for tests: `initdb` into a temporary directory, `postgres` on a
/// free loopback port, stopped (and the directory removed) by `stop` or deinit. Root cannot run
/// postgres, so as root both run as `nobody` (setpriv) with the directory handed to that user.
/// Durability is off (`fsync`, `synchronous_commit`): the tests are about semantics, and a
/// server that loses data in a power cut is the one they throw away anyway.
public final class PostgresServer: @unchecked Sendable {
    // @unchecked: `process` is only stopped under `lock`; everything else is immutable.
    public let port: Int
    public let directory: URL
    /// The superuser initdb made (trust authentication on loopback).
    public let user = "auditwatch"
    private let process: Process
    private let lock = NSLock()
    private var stopped = false
    private static let unprivileged: UInt32 = 65534  // nobody / nogroup on Debian

    /// Where Debian's `postgresql` package puts the server binaries, newest first.
    public static var binaries: String? {
        for version in ["17", "16", "15", "14", "13"] {
            let directory = "/usr/lib/postgresql/\(version)/bin"
            if FileManager.default.isExecutableFile(atPath: directory + "/postgres") { return directory }
        }
        return nil
    }

    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    /// `settings` are extra `-c name=value` server settings (`shared_preload_libraries=pg_stat_statements`).
    public init(settings: [String] = []) throws {
        guard let bin = PostgresServer.binaries else {
            throw Unavailable(
                description:
                    "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: run scripts/install-system-packages.sh --test (Debian postgresql)"
            )
        }
        directory = try makeTemporaryDirectory("aw-postgres")
        let data = directory.appendingPathComponent("data").path
        if getuid() == 0 {
            guard chown(directory.path, PostgresServer.unprivileged, PostgresServer.unprivileged) == 0 else {
                throw Unavailable(
                    description: "cannot hand \(directory.path) to nobody: \(String(cString: strerror(errno)))")
            }
        }
        let initdb = try PostgresServer.start(
            bin + "/initdb",
            ["-D", data, "-U", user, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"],
            in: directory, log: directory.appendingPathComponent("initdb.log"))
        initdb.waitUntilExit()
        guard initdb.terminationStatus == 0 else {
            let log = (try? String(contentsOf: directory.appendingPathComponent("initdb.log"), encoding: .utf8)) ?? ""
            throw Unavailable(description: "initdb failed (\(initdb.terminationStatus)): \(log)")
        }
        port = try PostgresServer.freePort()
        process = try PostgresServer.start(
            bin + "/postgres",
            [
                "-D", data, "-h", "127.0.0.1", "-p", String(port), "-k", "", "-c", "fsync=off", "-c",
                "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=50",
            ] + settings.flatMap { ["-c", $0] }, in: directory, log: directory.appendingPathComponent("postgres.log"))
        // Ready when it accepts a session (not merely the port: "the database system is starting up").
        let deadline = Date().addingTimeInterval(120)
        while true {
            let probe = try PostgresServer.start(
                bin + "/pg_isready", ["-q", "-h", "127.0.0.1", "-p", String(port), "-U", user, "-d", "postgres"],
                in: directory, log: nil)
            probe.waitUntilExit()
            if probe.terminationStatus == 0 { break }
            guard process.isRunning, Date() < deadline else {
                stop()
                let log = (try? String(contentsOf: directory.appendingPathComponent("postgres.log"), encoding: .utf8))
                throw Unavailable(description: "postgres did not become ready: \(log ?? "")")
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    deinit { stop() }

    /// A connection URL for `database` on this server.
    public func url(database: String = "postgres") -> String {
        "postgresql://\(user)@127.0.0.1:\(port)/\(database)"
    }

    /// Creates an empty database of its own for one test; returns its URL.
    public func createDatabase() throws -> String {
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        guard let bin = PostgresServer.binaries else { throw Unavailable(description: "no createdb") }
        let create = try PostgresServer.start(
            bin + "/createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", user, name], in: directory, log: nil)
        create.waitUntilExit()
        guard create.terminationStatus == 0 else { throw Unavailable(description: "createdb \(name) failed") }
        return url(database: name)
    }

    /// Runs `sql` with psql in `database` (a name or a URL of this server); returns the rows, their
    /// fields split on tabs. Throws when psql fails (its error text in the message).
    public func query(_ sql: String, database: String) throws -> [[String]] {
        guard let bin = PostgresServer.binaries else { throw Unavailable(description: "no psql") }
        let name = database.split(separator: "/").last.map(String.init) ?? database
        let process = Process()
        process.executableURL = URL(fileURLWithPath: bin + "/psql")
        process.arguments = [
            "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", String(port), "-U",
            user, "-d", name, "-c", sql,
        ]
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "PGPASSWORD")
        process.environment = environment
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let errorData = PipeReader(errors.fileHandleForReading)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Unavailable(description: "psql failed: \(String(decoding: errorData.wait(), as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
    }

    /// Fast shutdown (SIGINT: sessions end, no wait for clients), SIGKILL if it lingers; the
    /// directory is removed.
    public func stop() {
        lock.lock(); defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        if process.isRunning {
            kill(process.processIdentifier, SIGINT)
            let deadline = Date().addingTimeInterval(20)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Starts `executable` — as nobody when this process is root (setpriv execs, so the pid is the tool's).
    private static func start(
        _ executable: String, _ arguments: [String], in directory: URL, log: URL?
    ) throws
        -> Process
    {
        let process = Process()
        if getuid() == 0 {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments =
                ["--reuid=\(unprivileged)", "--regid=\(unprivileged)", "--clear-groups", "--", executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C"
        environment.removeValue(forKey: "PGPASSWORD")
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        if let log {
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
        } else {
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
        return process
    }

    /// A loopback port nobody listens on now (the kernel's pick for port 0).
    private static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Unavailable(description: "socket: \(String(cString: strerror(errno)))") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(socket, pointer, length) == 0 && getsockname(socket, pointer, &length) == 0
            }
        }
        guard bound else { throw Unavailable(description: "bind: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Reads a pipe to its end on a background thread (so a child filling both pipes never blocks).
private final class PipeReader: @unchecked Sendable {
    // @unchecked: `data` is written once by the reading thread before `done` is signalled.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        DispatchQueue.global().async {
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
