/// Making attacker-controlled text inert for each chat target, and fitting it to their limits.
public enum MessageText {
    /// Slack: exactly `&`, `<`, `>` become entities, so `<!channel>`, `<@U…>` or
    /// `<https://evil|bank>` render literally and ping or link nothing.
    public static func slack(_ text: String) -> String {
        var output = ""
        for character in text {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            default: output.append(character)
            }
        }
        return output
    }

    /// Markdown (Discord, Teams): every formatting character is backslash-escaped, so `**x**`,
    /// `[label](url)` or `# heading` arrive as the characters typed; `@everyone`/`@here` get a
    /// zero-width joiner so they cannot even look like a mention.
    public static func markdown(_ text: String) -> String {
        var output = ""
        for character in text {
            if "\\*_~`|>#[]()<!-+=.{}".contains(character) { output += "\\" }
            output.append(character)
        }
        return output.replacingMentions()
    }

    /// Teams (Adaptive Card TextBlocks): only what their Markdown subset acts on is escaped:
    /// `*`, brackets (emphasis; a link needs `[…]`), backticks, `_` at a word's edge, and list,
    /// quote or heading markers at a line's start; `sign-ins` or `a.b` stay as typed, since some Teams
    /// clients show every backslash.
    public static func teams(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { teamsLine(Array($0)) }.joined(
            separator: "\n")
    }

    private static func teamsLine(_ characters: [Character]) -> String {
        var output = ""
        // A list or quote marker after the line's indentation: `- x`, `+ x`, `> x`, `1. x`.
        let first = characters.firstIndex { $0 != " " && $0 != "\t" } ?? characters.count
        var marker: Int?
        if first < characters.count, "-+>#".contains(characters[first]) { marker = first }
        if first < characters.count, characters[first].isNumber,
            let end = characters[first...].firstIndex(where: { !$0.isNumber }),
            characters[end] == "." || characters[end] == ")"
        {
            marker = end
        }
        for (index, character) in characters.enumerated() {
            let before = index > 0 ? characters[index - 1] : " ",
                after = index + 1 < characters.count ? characters[index + 1] : " "
            let edge = !(before.isLetter || before.isNumber) || !(after.isLetter || after.isNumber)
            if "\\*[]`".contains(character) || (character == "_" && edge) || index == marker { output += "\\" }
            output.append(character)
        }
        return output
    }

    /// Slack text escaped, then cut to `limit` UTF-16 units without leaving half an entity
    /// (`&amp` without `;`).
    public static func fitSlack(_ text: String, _ limit: Int) -> String {
        let escaped = slack(text)
        guard length(escaped) > limit else { return escaped }
        var cut = prefix(escaped, units: max(0, limit - length(truncationMarker)))
        if let ampersand = cut.lastIndex(of: "&"), !cut[ampersand...].contains(";") { cut = String(cut[..<ampersand]) }
        return cut + truncationMarker
    }

    /// Backslash-escaped text cut to `limit` UTF-16 units without leaving a lone escaping
    /// backslash at the cut.
    public static func fitEscaped(_ text: String, _ limit: Int) -> String {
        guard length(text) > limit else { return text }
        var cut = prefix(text, units: max(0, limit - length(truncationMarker)))
        let trailing = cut.reversed().prefix { $0 == "\\" }.count
        if trailing % 2 == 1 { cut.removeLast() }
        return cut + truncationMarker
    }

    static let truncationMarker = "… (truncated)"

    /// The longest prefix of `text` of at most `units` UTF-16 units, cut on a scalar boundary.
    static func prefix(_ text: String, units: Int) -> String {
        var kept = String.UnicodeScalarView()
        var used = 0
        for scalar in text.unicodeScalars {
            let width = scalar.utf16.count
            guard used + width <= units else { break }
            kept.append(scalar)
            used += width
        }
        return String(kept)
    }

    /// The length the chat targets hold text to. Their docs say "characters"; Slack's and
    /// Discord's servers count code points or UTF-16 units, never graphemes, and UTF-16 units
    /// are never fewer than either: text within `limit` of these is within every count. A
    /// grapheme count is what lets "Z" plus 6,000 combining marks pass as one character.
    @inlinable
    public static func length(_ text: String) -> Int { text.utf16.count }

    /// Cuts `text` to at most `limit` UTF-16 units (see `length`), on a scalar boundary, saying
    /// that it did.
    public static func fit(_ text: String, _ limit: Int) -> String {
        guard length(text) > limit else { return text }
        return prefix(text, units: max(0, limit - length(truncationMarker))) + truncationMarker
    }

    /// Cuts `text` to at most `limit` bytes of UTF-8, on a scalar boundary, saying that it did.
    public static func fitBytes(_ text: String, _ limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        let marker = "… (truncated)"
        let room = max(0, limit - marker.utf8.count)
        var kept = String.UnicodeScalarView()
        var used = 0
        for scalar in text.unicodeScalars {
            let width = String(scalar).utf8.count
            guard used + width <= room else { break }
            kept.append(scalar)
            used += width
        }
        return String(kept) + marker
    }

    /// Control characters other than newlines and tabs removed: they have no business in a chat
    /// message. Bidirectional overrides, isolates and marks (which can make `exe.jpg` read as
    /// `gpj.exe`) and the line and paragraph separators are shown as `<U+202E>` instead.
    public static func printable(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\n" || scalar == "\t" {
                output.append(scalar)
            } else if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) {
                continue
            } else if DeceptiveText.isDeceptive(scalar) {
                output.append(contentsOf: DeceptiveText.shown(scalar).unicodeScalars)
            } else {
                output.append(scalar)
            }
        }
        return String(output)
    }
}

/// Scalars that change how the text around them is displayed without being seen themselves.
public enum DeceptiveText {
    /// U+200E/U+200F (marks), U+202A–U+202E (embeddings, overrides), U+2066–U+2069 (isolates),
    /// U+2028/U+2029 (line and paragraph separators).
    @inlinable
    public static func isDeceptive(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// How a deceptive scalar is shown: `<U+202E>`.
    public static func shown(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
    }

    /// Whether UTF-8 `bytes` hold any deceptive scalar (all are `E2 80 xx` or `E2 81 xx`).
    @inlinable
    public static func contains(at index: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard index + 2 < bytes.count, bytes[index] == 0xE2 else { return false }
        let second = bytes[index + 1], third = bytes[index + 2]
        if second == 0x80 { return third == 0x8E || third == 0x8F || (0xA8...0xAE).contains(third) }
        if second == 0x81 { return (0xA6...0xA9).contains(third) }
        return false
    }
}

extension String {
    /// A dash for an empty value, which some targets refuse (Discord's embed fields).
    var orDash: String { isEmpty ? "-" : self }
}

private extension String {
    func replacingMentions() -> String {
        var result = self
        for word in ["@everyone", "@here"] {
            var output = ""
            var rest = Substring(result)
            while let range = rest.range(ofCaseInsensitive: word) {
                output +=
                    rest[..<range.lowerBound] + "@\u{2060}"
                    + rest[rest.index(after: range.lowerBound)..<range.upperBound]
                rest = rest[range.upperBound...]
            }
            result = output + rest
        }
        return result
    }
}

private extension Substring {
    func range(ofCaseInsensitive word: String) -> Range<Index>? {
        let lowered = word.lowercased()
        var start = startIndex
        while start < endIndex {
            var end = start
            var matched = true
            for character in lowered {
                guard end < endIndex, self[end].lowercased() == String(character) else { matched = false; break }
                end = index(after: end)
            }
            if matched { return start..<end }
            start = index(after: start)
        }
        return nil
    }
}
