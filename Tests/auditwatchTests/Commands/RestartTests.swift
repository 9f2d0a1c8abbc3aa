import AuditwatchCore
import AuditwatchState
import AuditwatchTestSupport
import Foundation
import Testing

/// A long log with brute-force bursts, sprays and key bursts spread through it.
private func longLog(events: Int) -> String {
    var lines: [String] = []
    lines.reserveCapacity(events)
    var time: Int64 = 1_773_705_600
    for index in 0..<events {
        time += 2
        let user = "u\(index % 400)@acme.example"
        let type: String
        var who = user
        var ip = "198.51.100.\(index % 200)"
        switch index % 1000 {
        case 0..<7:
            type = "login.failed"; who = "burst\(index / 1000)@acme.example"; ip = "203.0.113.\(index / 1000 % 250)"
        case 500..<512:
            type = "login.failed"; who = "s\(index % 500)@acme.example"; ip = "198.18.0.\(index / 1000 % 250)"
        default: type = ["login.succeeded", "logout.succeeded", "api_key.created", "login.failed"][index % 4]
        }
        let actor =
            #"{"type":"session","session":{"user":{"id":"id-\#(who)","email":"\#(who)"},"ip_address":"\#(ip)","user_agent":"Mozilla/5.0","ip_address_details":{"country":"DE"}}}"#
        lines.append(
            #"{"id":"evt-\#(index)","type":"\#(type)","effective_at":\#(time),"actor":\#(actor),"project":{"id":"proj_\#(index % 5)","name":"P\#(index % 5)"}}"#
        )
    }
    return lines.joined(separator: "\n") + "\n"
}

@Suite("Restarts: state survives a crash", .serialized)
struct RestartTests {
    @Test("SIGKILL mid-run, then a restart: exactly the alerts of an uninterrupted run")
    func killAndRestart() throws {
        let directory = try makeTemporaryDirectory("aw-restart")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("long.jsonl").path
        try longLog(events: 8_000).write(toFile: log, atomically: true, encoding: .utf8)
        let fullState = directory.appendingPathComponent("full.sqlite").path
        let crashState = directory.appendingPathComponent("crash.sqlite").path
        let arguments = ["run", "--events", log, "--output", "jsonl", "--checkpoint-every", "500", "--state"]

        let full = try CommandRunner.run(arguments + [fullState])
        #expect(full.status == 0, "\(full.stderr)")
        let expectedIDs = Set(full.stdoutLines.map(alertID))
        #expect(expectedIDs.count > 20)

        // Start the same run, and kill it without warning once it has committed something.
        let process = Process()
        process.executableURL = CommandRunner.binary
        process.arguments = arguments + [crashState]
        process.currentDirectoryURL = CommandRunner.repositoryRoot
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        try process.run()
        var firstOutput = Data()
        while firstOutput.isEmpty {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            firstOutput.append(chunk)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        firstOutput.append(output.fileHandleForReading.readDataToEndOfFile())
        #expect(
            process.terminationReason == .uncaughtSignal,
            "the run finished before it could be killed; make the log longer")

        let resumed = try CommandRunner.run(arguments + [crashState])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let firstLines = String(decoding: firstOutput, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(Set((firstLines + resumed.stdoutLines).map(alertID)) == expectedIDs)
        #expect(resumed.stderr.contains("events read"))

        // The state files hold the same alerts, in the same order, with the same content.
        let recordedFull = try SQLiteStore(path: fullState).allAlerts()
        let recordedCrash = try SQLiteStore(path: crashState).allAlerts()
        #expect(recordedCrash == recordedFull)
        #expect(try SQLiteStore(path: crashState).alerts(status: .pending).isEmpty)
    }

    @Test("running again on a finished file raises nothing; appended events continue the windows")
    func appendContinues() throws {
        let directory = try makeTemporaryDirectory("aw-append")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("stream.jsonl").path
        let state = directory.appendingPathComponent("state.sqlite").path
        func failure(_ index: Int) -> String {
            #"{"id":"f\#(index)","type":"login.failed","effective_at":\#(1_773_705_600 + index),"actor":{"type":"session","session":{"user":{"email":"dana@acme.example"},"ip_address":"203.0.113.9"}}}"#
        }
        try ((0..<3).map(failure).joined(separator: "\n") + "\n").write(toFile: log, atomically: false, encoding: .utf8)
        let first = try CommandRunner.run(["run", "--events", log, "--state", state, "--output", "jsonl"])
        #expect(first.stdout.isEmpty)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(((3..<6).map(failure).joined(separator: "\n") + "\n").utf8))
        try handle.close()
        let second = try CommandRunner.run(["run", "--events", log, "--state", state, "--output", "jsonl"])
        #expect(second.stderr.contains("3 events read"))
        #expect(second.stdoutLines.count == 1)
        #expect(second.stdout.contains("\"brute_force_user\""))
        let third = try CommandRunner.run(["run", "--events", log, "--state", state, "--output", "jsonl"])
        #expect(third.stdout.isEmpty)
        #expect(third.stderr.contains("0 events read"))
    }
}

private func alertID(_ line: String) -> String {
    ((try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any])?["id"] as? String ?? line
}

@Suite("run --follow")
struct FollowTests {
    @Test("events appended to a followed file raise alerts as they arrive, even lines written in two parts")
    func follow() throws {
        let directory = try makeTemporaryDirectory("aw-follow")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("stream.jsonl")
        try "".write(to: log, atomically: true, encoding: .utf8)
        let child = try ChildProcess([
            "run", "--events", log.path, "--follow", "--output", "jsonl", "--state",
            directory.appendingPathComponent("s.sqlite").path,
        ])
        defer { child.stop() }
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        let event = #"{"id":"s1","type":"scim.disabled","effective_at":1773705600,"scim.disabled":{"id":"scim"}}"#
        handle.write(Data(event.prefix(30).utf8))  // half a line: nothing yet
        Thread.sleep(forTimeInterval: 0.5)
        handle.write(Data((event.dropFirst(30) + "\n").utf8))
        #expect(child.waitForStdout(timeout: 10) { $0.contains("\n") })
        #expect(child.stdout.contains("\"scim_disabled\""))
        #expect(child.stdout.contains("\"events\":[\"s1\"]"))
        #expect(child.isRunning, "it keeps following")
    }

    @Test("SIGTERM ends run --follow even when its parent started it with SIGTERM blocked; nothing outlives the test")
    func termEndsFollow() throws {
        let directory = try makeTemporaryDirectory("aw-follow-term")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("stream.jsonl")
        try "".write(to: log, atomically: true, encoding: .utf8)
        let child = try ChildProcess(
            ["run", "--events", log.path, "--follow", "--state", directory.appendingPathComponent("s.sqlite").path],
            blockTerm: true)
        defer { child.stop() }
        Thread.sleep(forTimeInterval: 0.5)
        let took = child.signal(SIGTERM, waitUpTo: 5)
        #expect(took != nil, "run --follow still running 5 s after SIGTERM")
        #expect(kill(child.pid, 0) != 0 || !child.isRunning)
    }
}

@Suite("backtest on two cores")
struct ParallelBacktestTests {
    @Test("two threads give exactly the single-threaded alerts, in the same order")
    func identical() throws {
        let directory = try makeTemporaryDirectory("aw-par")
        defer { try? FileManager.default.removeItem(at: directory) }
        let generated = try CommandRunner.run(["generate", "--events", "20000", "--seed", "7"])
        #expect(generated.stdoutLines.count == 20_000)
        let log = directory.appendingPathComponent("events.jsonl").path
        try generated.stdout.write(toFile: log, atomically: true, encoding: .utf8)
        let one = try CommandRunner.run(["backtest", "--threads", "1", "--events", log, "--output", "jsonl"])
        let two = try CommandRunner.run(["backtest", "--threads", "2", "--events", log, "--output", "jsonl"])
        #expect(one.status == 0 && two.status == 0)
        #expect(one.stdoutLines.count > 100)
        #expect(two.stdout == one.stdout)
        #expect(
            two.stderr.components(separatedBy: "\n").last { $0.contains("backtest over") }
                == one.stderr.components(separatedBy: "\n").last { $0.contains("backtest over") })
    }

    @Test("the generator is deterministic")
    func deterministic() throws {
        let first = try CommandRunner.run(["generate", "--events", "500", "--seed", "3"])
        let second = try CommandRunner.run(["generate", "--events", "500", "--seed", "3"])
        let other = try CommandRunner.run(["generate", "--events", "500", "--seed", "4"])
        #expect(first.stdout == second.stdout)
        #expect(first.stdout != other.stdout)
    }
}
