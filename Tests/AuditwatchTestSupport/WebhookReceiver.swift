import Foundation

/// A webhook target on loopback that records every delivery on arrival: which alert (the
/// `webhook-id` header, `msg_<alert id>`), from which sender (the last path component: each
/// replica is given its own URL, `url(for:)`), and in what order. Answers come after a short
/// delay chosen per request, so a kill can land while a request is open.
public final class WebhookReceiver: @unchecked Sendable {
    // @unchecked: `log` and `holding` are only touched under `lock`; the server is set once.
    public struct Delivery: Sendable {
        public var sequence: Int
        public var alertID: String
        public var sender: String
        /// Wall-clock arrival (seconds since 1970), for printed figures only.
        public var time: Double
    }

    private let lock = NSCondition()
    private var log: [Delivery] = []
    /// A sender whose next request is held open until `release()`, and that request's alert.
    private var holding: (sender: String, alertID: String?)?
    public private(set) var server: LoopbackHTTPServer!

    /// `delay` gives the seconds to wait before answering request `sequence` (200).
    public init(delay: @escaping @Sendable (Int) -> Double = { _ in 0 }) throws {
        server = nil
        server = try LoopbackHTTPServer { [weak self] request, sequence in
            let sender = request.target.split(separator: "/").last.map(String.init) ?? "?"
            let id = request.headers["webhook-id"].map { $0.hasPrefix("msg_") ? String($0.dropFirst(4)) : $0 } ?? "?"
            self?.arrived(Delivery(sequence: sequence, alertID: id, sender: sender, time: Date().timeIntervalSince1970))
            let seconds = delay(sequence)
            if seconds > 0 { Thread.sleep(forTimeInterval: seconds) }
            return .respond(status: 200, body: "ok")
        }
    }

    deinit { stop() }

    public func stop() {
        release()
        server?.stop()
    }

    /// The URL a sender (a replica) is given: its name is the last path component.
    public func url(for sender: String) -> String { server.baseURL + "/hook/" + sender }

    /// Every delivery so far, in arrival order.
    public var deliveries: [Delivery] { lock.lock(); defer { lock.unlock() }; return log }

    /// The next request from `sender` is held open (recorded, unanswered) until `release()`: a
    /// kill meanwhile lands inside that HTTP request.
    public func hold(sender: String) {
        lock.lock(); defer { lock.unlock() }
        holding = (sender, nil)
    }

    /// Waits until the held sender's request arrived; returns its alert id.
    public func waitUntilHeld(timeout: Double) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        lock.lock(); defer { lock.unlock() }
        while holding != nil && holding?.alertID == nil && Date() < deadline { _ = lock.wait(until: deadline) }
        return holding?.alertID
    }

    /// Answers the held request (if any) and holds no more.
    public func release() {
        lock.lock(); defer { lock.unlock() }
        holding = nil
        lock.broadcast()
    }

    private func arrived(_ delivery: Delivery) {
        lock.lock(); defer { lock.unlock() }
        log.append(delivery)
        guard let held = holding, held.sender == delivery.sender, held.alertID == nil else { return }
        holding = (delivery.sender, delivery.alertID)
        lock.broadcast()
        while holding?.alertID == delivery.alertID && holding != nil { lock.wait() }
    }

    /// How many times each alert arrived.
    public var counts: [String: Int] {
        deliveries.reduce(into: [:]) { $0[$1.alertID, default: 0] += 1 }
    }
}
