import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One HTTP/1.1 request to a loopback address, any method, answered with `Connection: close`:
/// for APIs the libcurl client of the tool does not speak (DELETE) and for headers a browser
/// would set (Origin, Sec-Fetch-Site, Cookie).
public enum LoopbackHTTPRequest {
    public struct Answer: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: String
    }

    /// `send` on a thread of its own, for a server running in the test's own process on Swift
    /// concurrency: blocking one of the cooperative threads (two on a two-core machine, the other
    /// perhaps blocked by a test beside this one) can leave the server no thread to answer on.
    public static func sendFromThread(
        _ method: String, _ address: String, _ path: String, headers: [String: String] = [:], body: String = ""
    ) async throws -> Answer {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try send(method, address, path, headers: headers, body: body) })
            }.start()
        }
    }

    /// `address` is `127.0.0.1:PORT`.
    public static func send(
        _ method: String, _ address: String, _ path: String, headers: [String: String] = [:], body: String = ""
    ) throws -> Answer {
        guard address.hasPrefix("127.0.0.1:"), let port = UInt16(address.dropFirst("127.0.0.1:".count)) else {
            throw LoopbackWebSocket.Failure(description: "not a loopback address: \(address)")
        }
        let handle = try LoopbackWebSocket.connect(port: port)
        defer { close(handle) }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(address)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(body.utf8.count)\r\n\r\n"
        let bytes = Array((head + body).utf8)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(handle, $0.baseAddress, $0.count, 0) }
            guard sent > 0 else { break }
            offset += sent
        }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(handle, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        while true {
            let count = recv(handle, &chunk, chunk.count, 0)
            if count <= 0 { break }
            response += chunk[..<count]
        }
        let text = String(decoding: response, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else {
            throw LoopbackWebSocket.Failure(description: "no HTTP answer from \(address)")
        }
        let lines = text[..<split.lowerBound].split(separator: "\r\n")
        let status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
        var fields: [String: String] = [:]
        for line in lines.dropFirst() {
            if let colon = line.firstIndex(of: ":") {
                fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                    in: .whitespaces)
            }
        }
        return Answer(status: status, headers: fields, body: String(text[split.upperBound...]))
    }
}
