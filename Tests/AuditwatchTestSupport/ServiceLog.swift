/// Reading a running service's JSON log (`--log-format json`) in tests.
public enum ServiceLog {
    /// The `address` of the "serving /healthz…" line: where the service's HTTP server listens
    /// (`server.listen: 127.0.0.1:0` picks a free port).
    public static func healthAddress(in log: String) -> String? {
        log.split(separator: "\n").first { $0.contains("serving /healthz") }
            .flatMap { $0.firstMatch(of: /"address":"([0-9.:]+)"/).map { String($0.output.1) } }
    }
}
