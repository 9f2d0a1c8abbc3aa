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
    /// Reused for every read, so reading never zero-fills or grows a buffer per call.
    private var chunk: UnsafeMutableRawBufferPointer?

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
        chunk?.deallocate()
    }

    /// Forgets that the end was reached, so a growing file can be read further (`--follow`).
    func resetEnd() { isAtEnd = false }

    /// Moves to byte `offset` of a file (a resume).
    func seek(to offset: Int64, path: String) throws(InputProblem) {
        guard lseek(descriptor, off_t(offset), SEEK_SET) == off_t(offset) else {
            throw InputProblem(
                file: path, line: 0, column: nil,
                message: "cannot seek to byte \(offset) to resume: \(String(cString: strerror(errno)))")
        }
    }

    /// Appends up to `count` bytes to `buffer`; returns how many were read (0 at the end).
    func read(into buffer: inout [UInt8], count: Int) -> Int {
        guard !isAtEnd else { return 0 }
        if chunk == nil || chunk!.count < count {
            chunk?.deallocate()
            chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 16)
        }
        let target = chunk!
        var got = 0
        while true {
            let result = Glibc.read(descriptor, target.baseAddress!, count)
            if result < 0 && errno == EINTR { continue }
            got = max(0, result)
            break
        }
        if got == 0 {
            isAtEnd = true
            return 0
        }
        buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: target[0..<got]).bindMemory(to: UInt8.self))
        return got
    }
}
