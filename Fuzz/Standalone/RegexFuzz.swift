// libFuzzer target for the regex compiler and matcher (`make fuzz-regex`). Built with
// `swiftc -sanitize=fuzzer,address` together with Sources/AuditwatchCore/Regex/*.swift, so it
// exercises the engine exactly as it ships. Input: one byte of flags (bit 0 `i`, 1 `m`, 2 `s`),
// then the pattern, a NUL, and the text to search. Every input must compile or throw a
// RegexError, and every compiled pattern must answer on the text: a trap is a finding.

@_cdecl("LLVMFuzzerTestOneInput")
public func regexFuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let flags = bytes[0]
    let rest = bytes.dropFirst()
    let split = rest.firstIndex(of: 0) ?? rest.endIndex
    let pattern = String(decoding: rest[rest.startIndex..<split], as: UTF8.self)
    let options = LinearRegex.Options(ignoreCase: flags & 1 != 0, multiline: flags & 2 != 0, dotAll: flags & 4 != 0)
    guard let regex = try? LinearRegex(pattern, options: options) else { return 0 }
    let textStart = split < rest.endIndex ? split + 1 : split
    let text = UnsafeBufferPointer(rebasing: rest[textStart...])
    _ = regex.matches(text)
    return 0
}
