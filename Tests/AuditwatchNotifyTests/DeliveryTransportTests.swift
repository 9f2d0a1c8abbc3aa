import AuditwatchConfig
import AuditwatchCore
import AuditwatchState
import AuditwatchTestSupport
import Foundation
import Testing

@testable import AuditwatchNotify

@Suite("Delivery over an in-memory HTTP transport (no libcurl)", .serialized)
struct DeliveryTransportTests {
    @Test("the worker sends through the protocol: a transient failure is retried, then the alert is sent")
    func deliversThroughTheProtocol() throws {
        let transport = InMemoryTransport { _, sequence in
            sequence == 0
                ? .failure(HTTPError(code: 28, message: "timed out", isTransient: true))
                : .success(HTTPResponse(status: 200, body: Array("ok".utf8)))
        }
        let settings = NotifierSettings(
            name: "chat", kind: .slack, ratePerSecond: 1000, url: Secret("https://hooks.example/services/T/B/x"))
        let clients = NotifierClient.clients(
            for: [settings], redactor: Redactor(), transport: { transport }, printLine: { _ in })
        let directory = try makeTemporaryDirectory("aw-memory")
        let store = try SQLiteStore(path: directory.appendingPathComponent("state.sqlite").path)
        try store.checkpoint(state: EngineState(), position: nil, alerts: [sampleAlert("m1")], sinks: ["chat"])
        let clock = FakeClock(), logs = LogBox()
        let worker = DeliveryWorker(
            store: store, clients: clients, backoff: BackoffPolicy(), clock: { clock.now }, sleep: clock.sleep,
            random: { 0.5 }, log: logs.append)
        #expect(try worker.deliverDue().retrying == 1, "\(logs.lines)")
        clock.now = Double(try #require(try store.nextDueTime()))
        #expect(try worker.deliverDue().sent == 1, "\(logs.lines)")
        #expect(try store.alerts(status: .sent).map(\.alert.id) == ["m1"])
        #expect(transport.requests.count == 2)
        let request = try #require(transport.requests.last)
        #expect(request.method == .post && request.url == "https://hooks.example/services/T/B/x")
        #expect(try json(String(decoding: request.body, as: UTF8.self))["text"] != nil)
    }

    @Test("a transport failure that is not transient dead-letters the alert")
    func permanentTransportFailure() throws {
        let transport = InMemoryTransport { _, _ in .failure(HTTPError(code: 1, message: "unsupported protocol")) }
        let settings = NotifierSettings(
            name: "chat", kind: .slack, ratePerSecond: 1000, url: Secret("https://hooks.example/services/T/B/x"))
        let clients = NotifierClient.clients(
            for: [settings], redactor: Redactor(), transport: { transport }, printLine: { _ in })
        let directory = try makeTemporaryDirectory("aw-memory")
        let store = try SQLiteStore(path: directory.appendingPathComponent("state.sqlite").path)
        try store.checkpoint(state: EngineState(), position: nil, alerts: [sampleAlert("m2")], sinks: ["chat"])
        let clock = FakeClock(), logs = LogBox()
        let worker = DeliveryWorker(
            store: store, clients: clients, backoff: BackoffPolicy(), clock: { clock.now }, sleep: clock.sleep,
            random: { 0.5 }, log: logs.append)
        #expect(try worker.deliverDue().failed == 1, "\(logs.lines)")
        #expect(try store.alerts(status: .failed).first?.lastError == "unsupported protocol")
    }
}
