#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file or standard input in large chunks with plain `read(2)`.
final class ByteSource {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private(set) var isAtEnd = false

    /// Opens `path`; `-` is standard input.
    init(path: String) throws(InputProblem) {
        if path == "-" {
            descriptor = 0
            ownsDescriptor = false
        } else {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                let reason = String(cString: strerror(errno))
                throw InputProblem(file: path, line: 0, column: nil, message: "cannot open event file: \(reason)")
            }
            ownsDescriptor = true
        }
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// Appends up to `count` bytes to `buffer`; returns how many were read (0 at the end).
    func read(into buffer: inout [UInt8], count: Int) -> Int {
        guard !isAtEnd else { return 0 }
        let start = buffer.count
        buffer.reserveCapacity(start + count)
        var got = 0
        buffer.append(contentsOf: repeatElement(0, count: count))
        buffer.withUnsafeMutableBytes { raw in
            while true {
                let result = Glibc.read(descriptor, raw.baseAddress! + start, count)
                if result < 0 && errno == EINTR { continue }
                got = max(0, result)
                break
            }
        }
        buffer.removeLast(count - got)
        if got == 0 { isAtEnd = true }
        return got
    }
}
