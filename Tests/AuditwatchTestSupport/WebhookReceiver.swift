import Foundation

/// A webhook target on loopback that records every delivery on arrival: which alert (the
/// `webhook-id` header, `msg_<alert id>`), from which sender (the last path component: each
/// replica is given its own URL, `url(for:)`), and in what order. Answers come after a short
/// delay chosen per request, so a kill can land while a request is open.
public final class WebhookReceiver: @unchecked Sendable {
    // @unchecked: `log` is only touched under `lock`; the server is immutable once set.
    public struct Delivery: Sendable {
        public var sequence: Int
        public var alertID: String
        public var sender: String
        /// Wall-clock arrival (seconds since 1970), for printed figures only.
        public var time: Double
    }

    private let lock = NSLock()
    private var log: [Delivery] = []
    public private(set) var server: LoopbackHTTPServer!

    /// `delay` gives the seconds to wait before answering request `sequence` (200).
    public init(delay: @escaping @Sendable (Int) -> Double = { _ in 0 }) throws {
        server = nil
        server = try LoopbackHTTPServer { [weak self] request, sequence in
            let sender = request.target.split(separator: "/").last.map(String.init) ?? "?"
            let id = request.headers["webhook-id"].map { $0.hasPrefix("msg_") ? String($0.dropFirst(4)) : $0 } ?? "?"
            self?.lock.lock()
            self?.log.append(
                Delivery(sequence: sequence, alertID: id, sender: sender, time: Date().timeIntervalSince1970))
            self?.lock.unlock()
            let seconds = delay(sequence)
            if seconds > 0 { Thread.sleep(forTimeInterval: seconds) }
            return .respond(status: 200, body: "ok")
        }
    }

    deinit { stop() }

    public func stop() { server?.stop() }

    /// The URL a sender (a replica) is given: its name is the last path component.
    public func url(for sender: String) -> String { server.baseURL + "/hook/" + sender }

    /// Every delivery so far, in arrival order.
    public var deliveries: [Delivery] { lock.lock(); defer { lock.unlock() }; return log }

    /// How many times each alert arrived.
    public var counts: [String: Int] {
        deliveries.reduce(into: [:]) { $0[$1.alertID, default: 0] += 1 }
    }
}
