public import Foundation

/// Runs a validator operators already trust (promtool, hadolint, kubernetes-validate,
/// systemd-analyze…) found on PATH; `.ci/run` and the install scripts put them there.
public enum ExternalTool {
    public struct Missing: Error, CustomStringConvertible {
        public var tool: String
        public var description: String {
            "\(tool) is not on PATH (make test installs it: scripts/install-system-packages.sh, scripts/install-python-tools.sh)"
        }
    }

    /// The tool's full path (an absolute path is taken as it is), searching PATH (and pyenv's shims, where pip puts console scripts).
    public static func path(_ tool: String) -> String? {
        if tool.hasPrefix("/") { return FileManager.default.isExecutableFile(atPath: tool) ? tool : nil }
        var directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(
            String.init)
        directories += [
            "/usr/local/bin", "/usr/bin", "/usr/sbin", NSHomeDirectory() + "/.pyenv/shims",
            NSHomeDirectory() + "/.local/bin",
        ]
        for directory in directories {
            let candidate = directory + "/" + tool
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `tool arguments…` with `input` on standard input; throws `Missing` when not installed.
    public static func run(
        _ tool: String, _ arguments: [String], input: String? = nil, environment: [String: String] = [:],
        in directory: URL? = nil
    ) throws -> CommandRunner.Outcome {
        guard let executable = path(tool) else { throw Missing(tool: tool) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
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
        // Both pipes are drained on their own threads, so neither can fill up and block the child.
        let collected = PipeCollector(output), collectedErrors = PipeCollector(errors)
        process.waitUntilExit()
        return CommandRunner.Outcome(
            status: process.terminationStatus, stdout: collected.finish(), stderr: collectedErrors.finish())
    }
}

/// Reads a pipe to its end on a background thread.
final class PipeCollector: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }.start()
    }

    func finish() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}
