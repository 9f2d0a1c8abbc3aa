import AuditwatchTestSupport
import Foundation
import Testing

/// Event text that would run, load or deceive if it were markup (the chat-injection string of
/// NotifierTests and HTML that would execute): an actor's "email" an attacker chose.
private let hostile =
    "<script>alert(1)</script><img src=x onerror=alert(2)>\"'><!channel> @everyone "
    + "<https://evil.example|click here> [bank](https://evil.example)"

@Suite("The console in headless Chromium", .serialized)
struct ConsoleBrowserTests {
    @Test(
        "alert rows, hostile text inert, sign-in and a silence through the form, cross-site posts refused, a screenshot, nothing beyond 127.0.0.1"
    )
    func console() throws {
        guard HeadlessBrowser.executable != nil else {
            // CI installs it (.ci/run); elsewhere say how, and fail under CI.
            #expect(ProcessInfo.processInfo.environment["CI"] == nil, "chromium is required under CI")
            print("skipped: chromium is not installed (scripts/install-system-packages.sh --test)")
            return
        }
        let fixture = try ConsoleServiceFixture()
        defer { fixture.stop() }
        try fixture.failures(hostile, secondsAgo: 3000, tag: "hostile")
        try fixture.failures("eve@acme.example", secondsAgo: 2900, tag: "eve")
        try fixture.startService(backfill: true)
        #expect(fixture.wait { fixture.delivered.count == 2 })
        let browser = try HeadlessBrowser()
        defer { browser.stop() }
        let origin = "http://\(fixture.address)"

        try browser.open(origin + "/")
        #expect(try browser.evaluate("document.querySelectorAll('#alert-table tr.alert').length") as? Int == 2)
        let summaries =
            try browser.evaluate(
                "[...document.querySelectorAll('#alert-table td.summary')].map(e => e.textContent)") as? [String] ?? []
        #expect(summaries.contains("2 failed sign-ins for " + hostile), "\(summaries)")
        #expect(summaries.contains("2 failed sign-ins for eve@acme.example"))
        #expect(
            try browser.evaluate("document.querySelectorAll('script, img, iframe, object, embed').length") as? Int == 0)
        #expect(try browser.evaluate("document.querySelectorAll('[onerror], [onclick], [onload]').length") as? Int == 0)
        #expect(try browser.evaluate("document.querySelectorAll('a[href*=\"evil\"]').length") as? Int == 0)
        #expect(try browser.evaluate("document.querySelectorAll('tr.source').length") as? Int == 1)
        // Reading needs no token on loopback; changing does, so there is no silence form yet.
        #expect(try browser.evaluate("document.querySelector('#silence-form') === null") as? Bool == true)

        // A filter by rule and level (a GET form).
        try browser.submit(
            "document.querySelector('select[name=level]').value = 'low'; document.querySelector('form.filters button').click()"
        )
        #expect(try browser.evaluate("document.querySelectorAll('#alert-table tr.alert').length") as? Int == 0)
        try browser.open(origin + "/")

        // Sign in, then create a silence through the form.
        try browser.submit(
            "document.querySelector('#login-form input[name=token]').value = \(jsString(fixture.token));"
                + "document.querySelector('#login-form button').click()")
        #expect(
            try browser.evaluate(
                "document.querySelector('#notice')?.textContent ?? document.body.innerText.slice(0, 300)") as? String
                == "Signed in.")
        try browser.submit(
            "document.querySelector('#silence-form textarea[name=matchers]').value = "
                + "'rule=brute_force_user\\ngroup.actor.email=~eve@.*';"
                + "document.querySelector('#silence-form input[name=comment]').value = \(jsString("drill <b>" + hostile))"
                + ";document.querySelector('#silence-form button').click()")
        #expect(
            try browser.evaluate(
                "document.querySelector('#notice')?.textContent ?? document.body.innerText.slice(0, 300)") as? String
                == "Silence created.")
        let rows =
            try browser.evaluate(
                "[...document.querySelectorAll('#silence-table tr.silence')].map(e => e.textContent)") as? [String]
            ?? []
        #expect(
            rows.count == 1 && rows[0].contains("group.actor.email=~eve@.*") && rows[0].contains("drill <b>" + hostile))
        #expect(try browser.evaluate("document.querySelectorAll('#silence-table b').length") as? Int == 0)
        #expect(
            try fixture.cli(["silence", "list"]).stdout.contains("group.actor.email=~eve@.*"), "it is in the state")

        // A refused form keeps what was typed and says where the matcher is wrong.
        try browser.submit(
            "document.querySelector('#silence-form textarea[name=matchers]').value = 'rule=~(x';"
                + "document.querySelector('#silence-form input[name=comment]').value = 'c';"
                + "document.querySelector('#silence-form button').click()")
        let problems = try browser.evaluate("document.querySelector('#problems').textContent") as? String ?? ""
        #expect(problems.contains("matcher 1 'rule=~(x', column 7"), "\(problems)")

        let screenshot = try browser.screenshot()
        #expect(screenshot.starts(with: [0x89, 0x50, 0x4E, 0x47]) && screenshot.count > 10_000)
        if let directory = ProcessInfo.processInfo.environment["AUDITWATCH_SCREENSHOTS"] {
            try screenshot.write(to: URL(fileURLWithPath: directory).appendingPathComponent("console.png"))
        }

        // Nothing ran, nothing left loopback, and no link, form or source points elsewhere.
        #expect(browser.dialogs.isEmpty, "\(browser.dialogs)")
        let requested = browser.requestedURLs
        #expect(!requested.isEmpty && requested.allSatisfy { $0.hasPrefix(origin + "/") }, "\(requested)")
        let targets =
            try browser.evaluate(
                "[...document.querySelectorAll('[href], [src], [action]')].map(e => e.getAttribute('href') ?? e.getAttribute('src') ?? e.getAttribute('action'))"
            ) as? [String] ?? []
        #expect(targets.allSatisfy { $0.hasPrefix("/") }, "\(targets)")
        let dom = try browser.dom()
        #expect(!dom.contains(fixture.token) && !dom.contains(fixture.standIn.adminKey), "no secret on the page")

        // Changes another site's page would make: refused, whatever they carry.
        let form = "matchers=rule%3Dx&for=2h&comment=c&csrf=guess"
        let noSession = try LoopbackHTTPRequest.send(
            "POST", fixture.address, "/silences", headers: ["Content-Type": "application/x-www-form-urlencoded"],
            body: form)
        #expect(noSession.status == 401)
        let crossSite = try LoopbackHTTPRequest.send(
            "POST", fixture.address, "/login",
            headers: ["Origin": "http://evil.example", "Content-Type": "application/x-www-form-urlencoded"],
            body: "token=" + fixture.token)
        #expect(crossSite.status == 403 && crossSite.headers["set-cookie"] == nil)
        let fetchSite = try LoopbackHTTPRequest.send(
            "POST", fixture.address, "/login", headers: ["Sec-Fetch-Site": "cross-site"], body: "token=" + fixture.token
        )
        #expect(fetchSite.status == 403)
        let signIn = try LoopbackHTTPRequest.send("POST", fixture.address, "/login", body: "token=" + fixture.token)
        let cookie = try #require(signIn.headers["set-cookie"])
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
        let session = String(cookie.prefix { $0 != ";" })
        let forged = try LoopbackHTTPRequest.send(
            "POST", fixture.address, "/silences", headers: ["Cookie": session], body: form)
        #expect(forged.status == 403, "a session without its CSRF token changes nothing")
        #expect(try fixture.cli(["silence", "list"]).stdout.split(separator: "\n").count == 1)

        let profile = browser.profilePath
        browser.stop()
        #expect(HeadlessBrowser.processes(mentioning: profile).isEmpty, "every browser process ended")
    }
}

/// `text` as a JavaScript string literal (for values the test types into the page's fields).
private func jsString(_ text: String) -> String {
    let data = try! JSONSerialization.data(withJSONObject: [text])
    return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
}
