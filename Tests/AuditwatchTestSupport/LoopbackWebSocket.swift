import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A minimal RFC 6455 client over a loopback TCP socket: enough for the DevTools protocol
/// (text frames, masked as a client must; no extensions). Refuses any host but 127.0.0.1.
final class LoopbackWebSocket {
    private let socket: Int32
    private var buffer: [UInt8] = []

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Connects to `ws://127.0.0.1:PORT/PATH` and completes the opening handshake.
    init(url: String) throws {
        guard url.hasPrefix("ws://127.0.0.1:") else { throw Failure(description: "not a loopback websocket: \(url)") }
        let rest = url.dropFirst("ws://127.0.0.1:".count)
        let portText = rest.prefix { $0.isNumber }
        let path = String(rest.dropFirst(portText.count))
        socket = try LoopbackWebSocket.connect(port: UInt16(portText) ?? 0)
        let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        try send(
            Array(
                ("GET \(path.isEmpty ? "/" : path) HTTP/1.1\r\nHost: 127.0.0.1:\(portText)\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\r\n").utf8))
        var head: [UInt8] = []
        while !head.suffix(4).elementsEqual([13, 10, 13, 10]) {
            head.append(try byte(timeout: 10))
        }
        guard String(decoding: head, as: UTF8.self).hasPrefix("HTTP/1.1 101") else {
            throw Failure(description: "websocket handshake refused: \(String(decoding: head, as: UTF8.self))")
        }
    }

    deinit { close(socket) }

    static func connect(port: UInt16) throws -> Int32 {
        let handle = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard handle >= 0 else { throw Failure(description: "socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(handle, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(handle)
            throw Failure(description: "cannot connect to 127.0.0.1:\(port)")
        }
        return handle
    }

    /// Sends one text message.
    func sendText(_ text: String) throws {
        let payload = Array(text.utf8)
        var frame: [UInt8] = [0x81]
        if payload.count < 126 {
            frame.append(0x80 | UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            frame.append(0x80 | 127)
            for shift in stride(from: 56, through: 0, by: -8) { frame.append(UInt8((payload.count >> shift) & 0xFF)) }
        }
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        try send(frame)
    }

    /// The next text message, or nil when none arrives within `timeout` seconds.
    func receiveText(timeout: Double) throws -> String? {
        var message: [UInt8] = []
        while true {
            guard let first = try? byte(timeout: timeout) else { return nil }
            let second = try byte(timeout: 10)
            var length = Int(second & 0x7F)
            if length == 126 {
                length = Int(try byte(timeout: 10)) << 8 | Int(try byte(timeout: 10))
            } else if length == 127 {
                length = 0
                for _ in 0..<8 { length = length << 8 | Int(try byte(timeout: 10)) }
            }
            var payload: [UInt8] = []
            payload.reserveCapacity(length)
            for _ in 0..<length { payload.append(try byte(timeout: 10)) }
            let opcode = first & 0x0F
            if opcode == 0x8 { throw Failure(description: "the browser closed the websocket") }
            if opcode == 0x9 || opcode == 0xA { continue }  // ping/pong: not used by DevTools
            message += payload
            if first & 0x80 != 0 { return String(decoding: message, as: UTF8.self) }
        }
    }

    private func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, 0) }
            guard sent > 0 else { throw Failure(description: "websocket send failed") }
            offset += sent
        }
    }

    private func byte(timeout: Double) throws -> UInt8 {
        if buffer.isEmpty {
            var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(timeout * 1000)) > 0 else { throw Failure(description: "websocket timeout") }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = recv(socket, &chunk, chunk.count, 0)
            guard count > 0 else { throw Failure(description: "websocket closed") }
            buffer = Array(chunk[..<count].reversed())
        }
        return buffer.removeLast()
    }
}
