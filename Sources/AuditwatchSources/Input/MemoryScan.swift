#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The index of the first `byte` at or after `start`, found with libc's vectorised `memchr`.
@inline(__always)
func memchrIndex(_ buffer: UnsafeRawBufferPointer, _ byte: UInt8, from start: Int) -> Int? {
    guard start < buffer.count, let base = buffer.baseAddress else { return nil }
    guard let found = memchr(base + start, Int32(byte), buffer.count - start) else { return nil }
    return UnsafeRawPointer(found) - base
}
