import Foundation

/// Debian's Chromium, headless, with every host but loopback unresolvable: a page that tried to
/// fetch anything from outside would fail to, and the test sees the page exactly as a user's
/// browser renders it.
struct HeadlessChromium {
    struct Missing: Error, CustomStringConvertible {
        var description: String { "chromium is not installed (.ci/run and scripts/install-system-packages.sh add it)" }
    }

    let executable: String
    let profile: URL

    init(profile: URL) throws {
        guard
            let path = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: {
                FileManager.default.isExecutableFile(atPath: $0)
            })
        else { throw Missing() }
        executable = path
        self.profile = profile
    }

    /// The DOM after the page loaded (and after any script would have run).
    func dumpDOM(_ url: URL) throws -> String {
        try run(["--dump-dom", url.absoluteString])
    }

    /// A PNG of the page at `width`×`height` CSS pixels.
    func screenshot(_ url: URL, to file: URL, width: Int = 1200, height: Int = 1800) throws {
        _ = try run(["--screenshot=\(file.path)", "--window-size=\(width),\(height)", url.absoluteString])
    }

    private func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-extensions", "--disable-background-networking", "--disable-sync",
                "--disable-component-update", "--hide-scrollbars", "--user-data-dir=\(profile.path)",
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                "--virtual-time-budget=2000",
            ] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
