import Testing

@testable import AuditwatchCore

/// The anchored-prefix check runs before the VM: on generated texts near and far from each
/// pattern's prefixes, `matches` must give the plain VM's answer.
@Suite("The anchored-prefix fast path gives the VM's answer")
struct RegexPrefixFastPathTests {
    /// SplitMix64: deterministic, so a failure replays.
    private struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            return mixed ^ (mixed >> 31)
        }
    }

    static let cases: [(pattern: String, options: LinearRegex.Options, near: [String])] = [
        (#"^user123[0-9]@corp\.example$"#, .init(), ["user1234@corp.example", "user123@corp.example"]),
        (#"^user123[0-9]@"#, .init(), ["user1239@x", "User1239@"]),
        (#"^key_svc12[0-9]{2}$"#, .init(), ["key_svc1234", "key_svc12345"]),
        (#"^(curl|wget|httpx)"#, .init(ignoreCase: true), ["CURL/8.1", "Wget/1.2", "httpx/0.2"]),
        (#"^new[0-9]+@(gmail\.com|mail\.ru)$"#, .init(ignoreCase: true), ["new12@GMAIL.com", "NEW1@mail.ru\n"]),
        (#"^Project (1[0-9]{3}|512)$"#, .init(), ["Project 1234", "Project 512", "Project 5120"]),
        (#"^(a|bcd)ef"#, .init(), ["aef", "bcdef", "bcef"]),
        (#"\Aпривет мир"#, .init(), ["привет мир!", "привет ми"]),
    ]

    private static let alphabet: [[UInt8]] =
        ["a", "e", "r", "s", "u", "1", "2", "9", "@", ".", "/", " ", "\n", "é", "ſ", "K"].map { Array($0.utf8) }
        + [[0xFF], [0xD0], [0x00]]

    /// A random edit of a near text: characters replaced, inserted, deleted, or the text cut.
    private static func mutate(_ text: [UInt8], _ random: inout SplitMix) -> [UInt8] {
        var bytes = text
        for _ in 0..<Int.random(in: 0...3, using: &random) {
            let position = Int.random(in: 0...bytes.count, using: &random)
            switch Int.random(in: 0..<4, using: &random) {
            case 0 where position < bytes.count: bytes.remove(at: position)
            case 1: bytes.insert(contentsOf: alphabet.randomElement(using: &random)!, at: position)
            case 2 where position < bytes.count: bytes[position] ^= 0x20
            default: bytes.removeLast(bytes.count - position)
            }
        }
        return bytes
    }

    @Test(arguments: 0..<cases.count)
    func agreesWithTheVM(_ index: Int) throws {
        let (pattern, options, near) = Self.cases[index]
        let regex = try LinearRegex(pattern, options: options)
        #expect(regex.requiredPrefixes != nil, "the fast path must be in use for \(pattern)")
        var random = SplitMix(state: UInt64(index) &+ 17)
        var matched = 0
        var refused = 0
        for round in 0..<3000 {
            let base = Array(near[round % near.count].utf8)
            let text = round < near.count ? base : Self.mutate(base, &random)
            let fast = text.withUnsafeBufferPointer { regex.matches($0) }
            let plain = text.withUnsafeBufferPointer { regex.matchesWithoutPrefilters($0) }
            #expect(fast == plain, "\(pattern) on \(text)")
            if plain { matched += 1 } else { refused += 1 }
        }
        // Both answers occur, so the comparison exercised both sides.
        #expect(matched > 0 && refused > 0)
    }

    @Test("a pattern that is not anchored, or anchored only at lines, has no required prefix")
    func onlyTextAnchors() throws {
        #expect(try LinearRegex(#"(sqlmap|nikto)/[0-9]"#).requiredPrefixes == nil)
        #expect(try LinearRegex("^abc", options: .init(multiline: true)).requiredPrefixes == nil)
        #expect(try LinearRegex(#"^us(er)?1"#).requiredPrefixes == nil)
    }
}
