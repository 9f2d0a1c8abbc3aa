#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a command writes its results, a line at a time: standard output in the tool, memory in tests.
public protocol LineOutput: AnyObject {
    func line(_ text: String)
    func flush()
}

/// Writes to standard output and error with `write(2)`: buffered for output, immediate for errors.
public final class LineWriter: LineOutput {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private let limit: Int

    public init(descriptor: Int32, limit: Int = 1 << 16) {
        self.descriptor = descriptor
        self.limit = limit
        buffer.reserveCapacity(limit)
    }

    deinit { flush() }

    /// Writes `text` and a newline.
    public func line(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(0x0A)
        if buffer.count >= limit { flush() }
    }

    public func flush() {
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

/// The lines a command wrote, kept in memory (tests call the app layer in process).
public final class CapturedLines: LineOutput {
    public private(set) var lines: [String] = []

    public init() {}

    public func line(_ text: String) { lines.append(text) }
    public func flush() {}

    /// Everything written, a newline after each line.
    public var text: String { lines.map { $0 + "\n" }.joined() }
}

/// Standard error, unbuffered: diagnostics must appear even if the process dies next.
public enum StandardError {
    public static func line(_ text: String) {
        let stream = LineWriter(descriptor: 2, limit: 0)
        stream.line(text)
    }
}
