import AuditwatchCore
import AuditwatchService
import Foundation
import Testing

/// Lines a log wrote, collected from every thread.
private final class Lines: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ line: String) { lock.lock(); stored.append(line); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return stored }
}

@Suite("Service log")
struct ServiceLogTests {
    private func log(_ format: ServiceLog.Format, _ lines: Lines) -> ServiceLog {
        ServiceLog(format: format, clock: { Date(timeIntervalSince1970: 1_700_000_000) }) { lines.append($0) }
    }

    @Test("a field named like a base key or an earlier field gets a suffix: no JSON key twice")
    func noDuplicateKey() throws {
        let lines = Lines()
        log(.json, lines).info("m", [("msg", "x"), ("level", "y"), ("id", "1"), ("id", "2"), ("id", "3")])
        #expect(
            lines.all == [
                #"{"time":"2023-11-14T22:13:20Z","level":"info","msg":"m","msg_2":"x","level_2":"y","id":"1","id_2":"2","id_3":"3"}"#
            ])
    }

    @Test("findings: one JSON line each with severity and location; in text the rendered diagnostic")
    func diagnostics() throws {
        let finding = Diagnostic.error(
            "unknown selection 'nope'", at: SourceLocation(file: "rules/a.yml", line: 5, column: 22), ruleID: "a")
        let json = Lines()
        log(.json, json).report([finding, .warning("no routes", at: nil)], sources: SourceFiles())
        #expect(
            json.all == [
                #"{"time":"2023-11-14T22:13:20Z","level":"error","msg":"unknown selection 'nope'","event":"diagnostic","severity":"error","location":"rules/a.yml:5:22","rule":"a"}"#,
                #"{"time":"2023-11-14T22:13:20Z","level":"warning","msg":"no routes","event":"diagnostic","severity":"warning"}"#,
            ])
        let text = Lines()
        log(.text, text).report([finding], sources: SourceFiles())
        #expect(
            text.all.count == 1 && text.all[0].contains("rules/a.yml:5:22") && text.all[0].contains("error"),
            "\(text.all)")
    }

    @Test("lines another thread writes while the log is held come after the held lines")
    func holding() throws {
        let lines = Lines()
        let log = log(.text, lines)
        let started = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        log.holding {
            log.info("alert raised")
            Thread.detachNewThread {
                started.signal()
                log.info("delivery sent")
                done.signal()
            }
            started.wait()
            Thread.sleep(forTimeInterval: 0.05)
            log.info("alert raised 2")
        }
        done.wait()
        #expect(
            lines.all.map { $0.components(separatedBy: "INFO ").last! } == [
                "alert raised", "alert raised 2", "delivery sent",
            ])
    }
}

@Suite("Service log, text")
struct ServiceLogTextTests {
    @Test("text lines leave out event and outcome (the message says them)")
    func textLine() {
        let lines = Lines()
        ServiceLog(format: .text, clock: { Date(timeIntervalSince1970: 1_700_000_000) }) { lines.append($0) }
            .info("polled", [("event", "poll"), ("outcome", "ok"), ("source", "acme"), ("new_events", "5")])
        #expect(lines.all == ["2023-11-14T22:13:20Z INFO polled source=acme new_events=5"])
    }
}
