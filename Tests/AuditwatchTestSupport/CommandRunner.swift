public import Foundation

/// Runs the built `auditwatch` binary the way a user would, from the repository root.
public enum CommandRunner {
    public struct Outcome: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    /// The repository root (this file is Tests/AuditwatchTestSupport/CommandRunner.swift).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `auditwatch` binary next to the test bundle in the build products folder, or the one
    /// AUDITWATCH_BINARY names (benchmarks run a release build from debug tests).
    public static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["AUDITWATCH_BINARY"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("auditwatch")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue
            {
                return candidate
            }
            directory = directory.deletingLastPathComponent()
        }
        return repositoryRoot.appendingPathComponent(".build/debug/auditwatch")
    }

    /// Runs `auditwatch arguments…`, feeding `input` on standard input.
    public static func run(
        _ arguments: [String], input: String? = nil, environment: [String: String] = [:]
    ) throws -> Outcome {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let output = Pipe(), errors = Pipe(), stdin = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        // Read both pipes to the end, at the same time, before waiting: a full pipe (a long
        // stderr while stdout is read) would otherwise block the child forever.
        let errorText = PipeData()
        let errorsRead = DispatchSemaphore(value: 0)
        let errorHandle = errors.fileHandleForReading
        DispatchQueue.global().async {
            errorText.data = errorHandle.readDataToEndOfFile()
            errorsRead.signal()
        }
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        errorsRead.wait()
        let errData = errorText.data
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// What a background read of a pipe returned; written once, then read after a semaphore.
private final class PipeData: @unchecked Sendable {
    var data = Data()
}
