public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Debian's Chromium, headless, driven over the DevTools protocol on a loopback websocket: open a
/// page (the console, a report file), read its DOM, click its forms, take a screenshot. Every
/// request the browser makes is recorded (`requestedURLs`), and name resolution is mapped to
/// nothing but 127.0.0.1, so a page that reaches out fails loudly instead of leaving the machine.
/// Script dialogs are recorded and dismissed (`dialogs`). `stop` (and deinit) ends the browser
/// and every process it started.
public final class HeadlessBrowser: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The browser, when installed (`.ci/run` and scripts/install-system-packages.sh --test install it).
    public static var executable: String? { ExternalTool.path("chromium") }

    private let process = Process()
    private let profile: URL
    private var socket: LoopbackWebSocket!
    private var nextID = 0
    private var events: [[String: Any]] = []
    private var stopped = false

    /// Starts the browser with a fresh profile and attaches to its page.
    public init(width: Int = 1280, height: Int = 900) throws {
        guard let executable = HeadlessBrowser.executable else { throw ExternalTool.Missing(tool: "chromium") }
        profile = try makeTemporaryDirectory("aw-chromium")
        process.executableURL = URL(fileURLWithPath: executable)
        var arguments = [
            "--headless", "--disable-gpu", "--disable-dev-shm-usage", "--remote-debugging-port=0",
            "--remote-debugging-address=127.0.0.1",
            "--user-data-dir=\(profile.path)", "--no-first-run", "--no-default-browser-check",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-default-apps", "--disable-extensions", "--metrics-recording-only", "--mute-audio",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--window-size=\(width),\(height)",
            "about:blank",
        ]
        // Chromium refuses to run as root with its sandbox on.
        if getuid() == 0 { arguments.insert("--no-sandbox", at: 0) }
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        do {
            socket = try LoopbackWebSocket(url: try pageWebSocketURL())
            _ = try call("Page.enable")
            _ = try call("Network.enable")
            _ = try call("Runtime.enable")
        } catch {
            stop()
            throw error
        }
    }

    deinit { stop() }

    /// The DevTools port Chromium chose (it writes it to DevToolsActivePort), then its page's websocket.
    private func pageWebSocketURL() throws -> String {
        let portFile = profile.appendingPathComponent("DevToolsActivePort")
        // Generous: on a loaded machine Chromium can take long to start; waiting costs nothing when it is quick.
        let deadline = Date().addingTimeInterval(90)
        var port: UInt16?
        while port == nil {
            if let text = try? String(contentsOf: portFile, encoding: .utf8),
                let line = text.split(separator: "\n").first, let number = UInt16(line)
            {
                port = number
            } else {
                guard Date() < deadline, process.isRunning else {
                    throw Failure(description: "chromium did not open its DevTools port")
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        var asked = Date()
        while Date() < deadline {
            // A slow start can leave the browser without its first page: ask for one, now and then.
            if Date().timeIntervalSince(asked) > 5 {
                _ = try? LoopbackHTTPRequest.send("PUT", "127.0.0.1:\(port!)", "/json/new?about:blank")
                asked = Date()
            }
            let list = try HeadlessBrowser.get(port: port!, path: "/json/list")
            if let targets = try JSONSerialization.jsonObject(with: Data(list.utf8)) as? [[String: Any]],
                let page = targets.first(where: { $0["type"] as? String == "page" }),
                let url = page["webSocketDebuggerUrl"] as? String
            {
                return url
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw Failure(description: "chromium has no page target")
    }

    /// A GET on the DevTools port (the target list).
    static func get(port: UInt16, path: String) throws -> String {
        try LoopbackHTTPRequest.send("GET", "127.0.0.1:\(port)", path).body
    }

    // MARK: The protocol

    /// Sends a command and returns its result; events that arrive meanwhile are kept.
    @discardableResult
    public func call(_ method: String, _ parameters: [String: Any] = [:], timeout: Double = 30) throws -> [String: Any]
    {
        nextID += 1
        let id = nextID
        let message = try JSONSerialization.data(withJSONObject: ["id": id, "method": method, "params": parameters])
        try socket.sendText(String(decoding: message, as: UTF8.self))
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard let object = try receive(timeout: deadline.timeIntervalSinceNow) else { break }
            if object["id"] as? Int == id {
                if let error = object["error"] as? [String: Any] {
                    throw Failure(description: "\(method): \(error["message"] ?? error)")
                }
                return object["result"] as? [String: Any] ?? [:]
            }
        }
        throw Failure(description: "\(method): no answer within \(timeout) s")
    }

    private func receive(timeout: Double) throws -> [String: Any]? {
        guard let text = try socket.receiveText(timeout: max(0.01, timeout)),
            let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        else { return nil }
        if let method = object["method"] as? String {
            events.append(object)
            if method == "Page.javascriptDialogOpening" {
                // Answered at once, or the page would hang; the test sees it in `dialogs`.
                nextID += 1
                let dismiss = try JSONSerialization.data(
                    withJSONObject: [
                        "id": nextID, "method": "Page.handleJavaScriptDialog", "params": ["accept": false],
                    ] as [String: Any])
                try socket.sendText(String(decoding: dismiss, as: UTF8.self))
            }
        }
        return object
    }

    /// Waits for event `method` after the first `after` events (default: any not yet seen).
    @discardableResult
    public func waitFor(_ method: String, after mark: Int, timeout: Double = 30) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        var index = mark
        while true {
            while index < events.count {
                if events[index]["method"] as? String == method { return events[index] }
                index += 1
            }
            guard Date() < deadline else { throw Failure(description: "no \(method) within \(timeout) s") }
            _ = try receive(timeout: deadline.timeIntervalSinceNow)
        }
    }

    // MARK: What tests do

    /// Opens `url` and waits until it has loaded.
    public func open(_ url: String) throws {
        let mark = events.count
        let result = try call("Page.navigate", ["url": url])
        if let error = result["errorText"] as? String { throw Failure(description: "cannot open \(url): \(error)") }
        try waitFor("Page.loadEventFired", after: mark)
    }

    /// The value of a JavaScript expression in the page (a DevTools evaluation: the page itself
    /// runs no script).
    public func evaluate(_ expression: String) throws -> Any? {
        let result = try call("Runtime.evaluate", ["expression": expression, "returnByValue": true])
        if let exception = result["exceptionDetails"] as? [String: Any] {
            throw Failure(description: "evaluating \(expression): \(exception["text"] ?? exception)")
        }
        return (result["result"] as? [String: Any])?["value"]
    }

    /// Runs `action` (one that submits a form, as a click does) and waits for the next page to load.
    public func submit(_ action: String) throws {
        let mark = events.count
        _ = try evaluate(action)
        try waitFor("Page.loadEventFired", after: mark)
    }

    /// The page's serialized DOM.
    public func dom() throws -> String {
        try evaluate("document.documentElement.outerHTML") as? String ?? ""
    }

    /// A PNG of the page as shown.
    public func screenshot() throws -> Data {
        let result = try call("Page.captureScreenshot", ["format": "png"])
        guard let base64 = result["data"] as? String, let data = Data(base64Encoded: base64) else {
            throw Failure(description: "Page.captureScreenshot returned no image")
        }
        return data
    }

    /// Every URL the browser requested so far (documents, subresources, redirects).
    public var requestedURLs: [String] {
        events.compactMap { event in
            guard event["method"] as? String == "Network.requestWillBeSent" else { return nil }
            return ((event["params"] as? [String: Any])?["request"] as? [String: Any])?["url"] as? String
        }
    }

    /// Script dialogs (alert, confirm, prompt) the page opened: a page that runs no script has none.
    public var dialogs: [String] {
        events.compactMap { event in
            guard event["method"] as? String == "Page.javascriptDialogOpening" else { return nil }
            return (event["params"] as? [String: Any])?["message"] as? String ?? ""
        }
    }

    /// Console messages and uncaught exceptions (script that ran, or a CSP violation report).
    public var consoleMessages: [String] {
        events.compactMap { event in
            switch event["method"] as? String {
            case "Runtime.consoleAPICalled", "Runtime.exceptionThrown", "Log.entryAdded":
                return String(describing: event["params"] ?? "")
            default: return nil
            }
        }
    }

    /// Ends the browser and every process it started (found by their unique profile directory).
    public func stop() {
        guard !stopped else { return }
        stopped = true
        socket = nil
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        for pid in HeadlessBrowser.processes(mentioning: profile.path) { kill(pid, SIGKILL) }
        try? FileManager.default.removeItem(at: profile)
    }

    /// Processes whose command line contains `text` (the browser's helpers share its profile flag).
    public static func processes(mentioning text: String) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry in
            guard let pid = pid_t(entry), pid != getpid(),
                let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
            else { return nil }
            return String(decoding: data, as: UTF8.self).contains(text) ? pid : nil
        }
    }

    /// The profile directory (to check that nothing of the browser is left running).
    public var profilePath: String { profile.path }
}
