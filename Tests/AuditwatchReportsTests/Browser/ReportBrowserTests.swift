import AuditwatchCore
import AuditwatchTestSupport
import Foundation
import Testing

@testable import AuditwatchReports

/// The reports as a browser shows them: Debian's headless Chromium loads the file, and the test
/// reads the DOM it built and takes a screenshot (kept in the temporary directory, or written to
/// `AUDITWATCH_SCREENSHOTS` to refresh the README's images).
@Suite("Reports in a real browser")
struct ReportBrowserTests {
    @Test("a backtest report renders its charts and rows, and hostile text stays text")
    func backtestReport() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aw-report-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = directory.appendingPathComponent("report.html")
        try BacktestReport(tally: Self.month(), origin: "examples/logs/acme-month.jsonl", loadedRules: 89).html()
            .write(to: page, atomically: true, encoding: .utf8)

        let browser = try HeadlessBrowser(width: 1200, height: 1800)
        defer { browser.stop() }
        try browser.open(page.absoluteString)
        let dom = try browser.dom()
        #expect(dom.contains("<tr data-rule=\"brute_force_user\">"))
        #expect(dom.contains("<svg"), "inline charts")
        #expect(dom.contains("&lt;script&gt;document.body.setAttribute"), "the hostile group value is text")
        #expect(!dom.contains("data-pwned=\"1\""), "no script ran")
        #expect(dom.contains("<title>auditwatch backtest</title>"), "no handler changed the title")
        #expect(!dom.contains("<script"))
        #expect(browser.requestedURLs.allSatisfy { $0.hasPrefix("file://") }, "\(browser.requestedURLs)")
        #expect(browser.dialogs.isEmpty && browser.consoleMessages.isEmpty, "\(browser.consoleMessages)")

        let shot = directory.appendingPathComponent("report.png")
        let png = try browser.screenshot()
        try png.write(to: shot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG")
        #expect(png.count > 20_000, "the page drew something")
        if let keep = ProcessInfo.processInfo.environment["AUDITWATCH_SCREENSHOTS"] {
            try? FileManager.default.removeItem(atPath: keep + "/backtest-report.png")
            try FileManager.default.copyItem(at: shot, to: URL(fileURLWithPath: keep + "/backtest-report.png"))
        }
    }

    /// A month of a 300-person company's alerts: a brute-force rule on a few users, key creation,
    /// a noisy rule to tune, a quiet one, and a hostile user name among the groups.
    static func month() -> BacktestTally {
        var tally = BacktestTally()
        let users = ["dana@acme.example", "lee@acme.example", hostileText, "sam@acme.example"]
        for day: Int64 in 0..<30 {
            let base = juneFirst + day * 86_400
            for hour: Int64 in 0..<24 { tally.observeEvent(at: base + hour * 3_600) }
            for index in 0..<Int((day * 7 + 3) % 5) {
                let group = [GroupValue(field: "actor.email", value: users[(Int(day) + index) % users.count])]
                tally.observe(reportAlert(at: base + Int64(index) * 60, group: group))
            }
            for index in 0..<Int(day % 6 == 0 ? 9 : (day % 3)) {
                tally.observe(
                    reportAlert(
                        rule: "api_key_created_off_hours", level: .medium, at: base + Int64(index),
                        title: "API key created outside business hours"))
            }
            if day % 10 == 4 {
                tally.observe(
                    reportAlert(
                        rule: "project_archived_by_service_account", level: .high, at: base,
                        title: "Project archived by a service account"))
            }
            if (10..<14).contains(day) {
                for index in 0..<12 {
                    tally.observe(
                        reportAlert(
                            rule: "invite_burst", level: .low, at: base + Int64(index),
                            group: [GroupValue(field: "actor.email", value: "it-admin@acme.example")],
                            title: "Many invites from one admin"))
                }
            }
        }
        return tally
    }
}
