public import Foundation

/// Checks `condition` every `interval` seconds until it holds or `timeout` seconds pass, and
/// says whether it held. The timeout guards against a hang; it is never what a test measures.
@discardableResult
public func eventually(
    timeout: Double, every interval: Double = 0.1, _ condition: () throws -> Bool
) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: interval)
    }
    return try condition()
}
