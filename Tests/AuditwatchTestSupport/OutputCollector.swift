public import Foundation

/// Collects what a child process writes to a pipe, in the background, for tests that wait for
/// a line to appear.
public final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = ""

    public init(_ pipe: Pipe) {
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.lock(); self.buffer += String(decoding: data, as: UTF8.self); self.lock.unlock()
        }
    }

    public var text: String { lock.lock(); defer { lock.unlock() }; return buffer }

    /// Waits until `predicate` holds for the text so far, or `limit` seconds pass (a guard
    /// against hanging, never what the test measures).
    @discardableResult
    public func wait(limit: Double = 30, _ predicate: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(limit)
        while Date() < deadline {
            if predicate(text) { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return predicate(text)
    }
}
