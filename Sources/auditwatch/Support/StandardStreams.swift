#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes to standard output and error with `write(2)`: buffered for output, immediate for errors.
final class LineWriter {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private let limit: Int

    init(descriptor: Int32, limit: Int = 1 << 16) {
        self.descriptor = descriptor
        self.limit = limit
        buffer.reserveCapacity(limit)
    }

    deinit { flush() }

    /// Writes `text` and a newline.
    func line(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(0x0A)
        if buffer.count >= limit { flush() }
    }

    func flush() {
        var offset = 0
        buffer.withUnsafeBytes { raw in
            while offset < raw.count {
                let written = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Standard error, unbuffered: diagnostics must appear even if the process dies next.
enum StandardError {
    static func line(_ text: String) {
        let stream = LineWriter(descriptor: 2, limit: 0)
        stream.line(text)
    }
}
