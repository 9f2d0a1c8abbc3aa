public import FlyingFox
import FlyingSocks
import Foundation
public import ServiceLifecycle
import Synchronization

/// `/healthz` (alive), `/readyz` (sources polling, outbox not stuck) and `/metrics` over HTTP,
/// on the address the config names (loopback by default).
/// A service of the group: it stops listening on graceful shutdown, after the polling loop.
public final class HealthServer: Service {
    private let server: HTTPServer
    private let task = Mutex<Task<Void, any Error>?>(nil)

    /// `readiness` answers whether the service is ready, and why not; `routes` are more of them
    /// (the console and the silences API, `ConsoleServer.routes`).
    public init(
        host: String, port: UInt16, metrics: ServiceMetrics,
        routes more: [(String, @Sendable (HTTPRequest) async throws -> HTTPResponse)] = [],
        readiness: @escaping @Sendable () -> (ready: Bool, reason: String)
    ) throws {
        server = HTTPServer(address: try sockaddr_in.inet(ip4: host, port: port), timeout: 10, logger: .disabled)
        let routes: [(String, @Sendable (HTTPRequest) async throws -> HTTPResponse)] = [
            ("GET /healthz", { _ in HTTPResponse(statusCode: .ok, body: Data("ok\n".utf8)) }),
            (
                "GET /readyz",
                { _ in
                    let state = readiness()
                    return HTTPResponse(
                        statusCode: state.ready ? .ok : .serviceUnavailable,
                        body: Data((state.ready ? "ready\n" : state.reason + "\n").utf8))
                }
            ),
            (
                "GET /metrics",
                { _ in
                    HTTPResponse(
                        statusCode: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: Data(metrics.exposition().utf8))
                }
            ),
        ]
        self.routes = routes + more
    }

    private let routes: [(String, @Sendable (HTTPRequest) async throws -> HTTPResponse)]

    /// Starts serving in the background; returns once the socket listens, with its port.
    public func start() async throws -> UInt16 {
        for (route, handler) in routes { await server.appendRoute(HTTPRoute(stringLiteral: route), handler: handler) }
        let server = self.server
        task.withLock { $0 = Task { try await server.run() } }
        try await server.waitUntilListening(timeout: 5)
        if case .ip4(_, let port)? = await server.listeningAddress { return port }
        return 0
    }

    public func stop() async {
        await server.stop(timeout: 2)
        task.withLock { $0?.cancel() }
    }

    /// Serves (already started by `start`) until the group shuts down.
    public func run() async throws {
        try? await gracefulShutdown()
        await stop()
    }
}
