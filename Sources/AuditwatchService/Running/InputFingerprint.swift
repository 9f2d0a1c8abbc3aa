import AuditwatchCore

#if canImport(Glibc)
    import Glibc
#endif

/// Identifies a file by a digest of its first line (at most 4 KiB), so a resume never continues
/// mid-way through a file that was replaced, while appending to it keeps its identity.
public enum InputFingerprint {
    public static func of(path: String) -> String {
        guard path != "-" else { return "stdin" }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return "" }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: 4096)
        let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, 4096) }
        let head = bytes.prefix(max(0, count))
        let firstLine = head.firstIndex(of: 0x0A).map { head[..<$0] } ?? head
        return StableDigest.hex(String(decoding: firstLine, as: UTF8.self))
    }
}
