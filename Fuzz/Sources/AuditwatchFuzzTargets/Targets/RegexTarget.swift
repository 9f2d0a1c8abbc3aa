import AuditwatchCore

/// The regex compiler and matcher. Input: one byte of options (bit 0 `i`, bit 1 `m`, bit 2 `s`),
/// then the pattern, a NUL byte, and the subject (the pattern alone when there is no NUL).
enum RegexTarget {
    static func run(_ input: UnsafeRawBufferPointer) {
        guard let flags = input.first else { return }
        let rest = UnsafeRawBufferPointer(rebasing: input.dropFirst())
        let split = rest.firstIndex(of: 0) ?? rest.endIndex
        let pattern = String(decoding: rest[rest.startIndex..<split], as: UTF8.self)
        let subject = split < rest.endIndex ? Array(rest[(split + 1)...]) : Array(pattern.utf8)
        let options = LinearRegex.Options(ignoreCase: flags & 1 != 0, multiline: flags & 2 != 0, dotAll: flags & 4 != 0)
        guard let regex = try? LinearRegex(pattern, options: options) else { return }
        let onBytes = subject.withUnsafeBufferPointer { regex.matches($0) }
        // Valid UTF-8 must match the same through either entry point.
        if let text = String(validating: subject, as: UTF8.self) {
            precondition(regex.matches(text) == onBytes, "matches(String) and matches(bytes) disagree")
        }
        _ = regex.matches("")
    }
}
