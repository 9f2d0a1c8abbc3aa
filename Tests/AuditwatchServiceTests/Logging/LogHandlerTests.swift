import AuditwatchConfig
import AuditwatchCore
import AuditwatchService
import Foundation
import Logging
import Synchronization
import Testing

/// Lines a log wrote, collected from every thread.
private final class Lines: Sendable {
    private let stored = Mutex<[String]>([])
    func append(_ line: String) { stored.withLock { $0.append(line) } }
    var all: [String] { stored.withLock { $0 } }
}

private func logger(_ format: LogFormat, _ lines: Lines, threshold: LogThreshold = .info) -> Logger {
    .service(
        LogOutput(format: format, clock: { Date(timeIntervalSince1970: 1_700_000_000) }) { lines.append($0) },
        threshold: threshold)
}

@Suite("Service log (swift-log handler)")
struct LogHandlerTests {
    @Test("JSON: time, level, msg, then the fields in their fixed order; a field named like a base key gets a suffix")
    func jsonLine() throws {
        let lines = Lines()
        logger(.json, lines).info(
            "alert raised",
            [
                ("summary", "s"), ("event", "alert"), ("level", "y"), ("alert_level", "high"), ("id", "1"),
                ("msg", "x"), ("rule", "r"),
            ])
        #expect(
            lines.all == [
                #"{"time":"2023-11-14T22:13:20Z","level":"info","msg":"alert raised","event":"alert","id":"1","rule":"r","alert_level":"high","summary":"s","level_2":"y","msg_2":"x"}"#
            ])
    }

    @Test("every line at every level is one JSON object with exactly one level key")
    func oneLevel() throws {
        let lines = Lines()
        let log = logger(.json, lines, threshold: .debug)
        for level in Logger.Level.allCases {
            log.log(level: level, "m \"quoted\"\nnext", metadata: ["level": "x", "list": ["a", "b"]])
        }
        #expect(lines.all.count == Logger.Level.allCases.count - 1, "trace is below debug")
        for line in lines.all {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
            #expect(line.components(separatedBy: #""level":"#).count == 2, "\(line)")
            #expect(["debug", "info", "warning", "error"].contains(object["level"] ?? ""), "\(line)")
        }
    }

    @Test("below the threshold nothing is written")
    func threshold() {
        let lines = Lines()
        let log = logger(.text, lines, threshold: .warning)
        log.info("quiet", [])
        log.debug("quieter", [])
        log.warning("loud", [])
        #expect(lines.all == ["2023-11-14T22:13:20Z WARNING loud"])
    }

    @Test("text lines leave out event and outcome (the message says them); fields keep their order")
    func textLine() {
        let lines = Lines()
        logger(.text, lines).info(
            "polled", [("event", "poll"), ("outcome", "ok"), ("source", "acme"), ("new_events", "5")])
        #expect(lines.all == ["2023-11-14T22:13:20Z INFO polled source=acme new_events=5"])
    }

    @Test("secrets are redacted in every form, in the message and the fields, after a reload's new redaction too")
    func redaction() throws {
        let lines = Lines()
        let log = logger(.json, lines)
        var redactor = Redactor()
        redactor.add(Secret("sk-admin-SECRET-1234"))
        log.redacting(redactor)
        log.error("refused sk-admin-SECRET-1234", [("error", "key \"sk-admin-SECRET-1234\" refused")])
        var next = Redactor()
        next.add(Secret("hook-TOKEN-5678"))
        log.redacting(next)
        log.info("sent to https://hooks.example/hook-TOKEN-5678", [])
        let text = lines.all.joined(separator: "\n")
        #expect(!text.contains("SECRET") && !text.contains("TOKEN"), "\(text)")
        #expect(text.contains("<redacted>"))
    }

    @Test("findings: one JSON line each with severity and location; in text the rendered diagnostic")
    func diagnostics() throws {
        let finding = Diagnostic.error(
            "unknown selection 'nope'", at: SourceLocation(file: "rules/a.yml", line: 5, column: 22), ruleID: "a")
        let json = Lines()
        logger(.json, json).report([finding, .warning("no routes", at: nil)], sources: SourceFiles())
        #expect(
            json.all == [
                #"{"time":"2023-11-14T22:13:20Z","level":"error","msg":"unknown selection 'nope'","event":"diagnostic","severity":"error","location":"rules/a.yml:5:22","rule":"a"}"#,
                #"{"time":"2023-11-14T22:13:20Z","level":"warning","msg":"no routes","event":"diagnostic","severity":"warning"}"#,
            ])
        let text = Lines()
        logger(.text, text).report([finding], sources: SourceFiles())
        #expect(text.all == [DiagnosticRenderer(sources: SourceFiles()).text(finding)])
    }

    @Test("lines another thread logs while the log is held come after the held lines")
    func holding() throws {
        let lines = Lines()
        let log = logger(.text, lines)
        let started = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        try log.holding { held in
            held.info("alert raised", [])
            Thread.detachNewThread {
                started.signal()
                log.info("delivery sent", [])
                done.signal()
            }
            started.wait()
            Thread.sleep(forTimeInterval: 0.05)
            held.info("alert raised 2", [])
        }
        done.wait()
        #expect(
            lines.all.map { $0.components(separatedBy: "INFO ").last! } == [
                "alert raised", "alert raised 2", "delivery sent",
            ])
    }
}
