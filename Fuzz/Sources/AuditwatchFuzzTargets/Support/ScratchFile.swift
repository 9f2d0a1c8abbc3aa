import Foundation

/// One temporary file per process that a target rewrites with each input, for the readers that
/// take a path (the event reader, the config loader).
final class ScratchFile: @unchecked Sendable {
    let path: String

    init(suffix: String) {
        let directory = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        path = "\(directory)/auditwatch-fuzz-\(getpid())-\(suffix)"
    }

    deinit { unlink(path) }

    /// Replaces the file's contents with `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        precondition(descriptor >= 0, "cannot write the fuzz scratch file \(path)")
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            precondition(written > 0, "cannot write the fuzz scratch file \(path)")
            offset += written
        }
        close(descriptor)
    }
}
