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
        text.split(separator: "\n", omittingEmptySubsequences: false).map { teamsLine(Array($0)) }.joined(separator: "\n")
    }

    private static func teamsLine(_ characters: [Character]) -> String {
        var output = ""
        // A list or quote marker after the line's indentation: `- x`, `+ x`, `> x`, `1. x`.
        let first = characters.firstIndex { $0 != " " && $0 != "\t" } ?? characters.count
        var marker: Int?
        if first < characters.count, "-+>#".contains(characters[first]) { marker = first }
        if first < characters.count, characters[first].isNumber,
           let end = characters[first...].firstIndex(where: { !$0.isNumber }), characters[end] == "." || characters[end] == ")" { marker = end }
        for (index, character) in characters.enumerated() {
            let before = index > 0 ? characters[index - 1] : " ", after = index + 1 < characters.count ? characters[index + 1] : " "
            let edge = !(before.isLetter || before.isNumber) || !(after.isLetter || after.isNumber)
            if "\\*[]`".contains(character) || (character == "_" && edge) || index == marker { output += "\\" }
            output.append(character)
        }
        return output
    }

    /// Slack text escaped, then cut to `limit` without leaving half an entity (`&amp` without `;`).
    public static func fitSlack(_ text: String, _ limit: Int) -> String {
        let escaped = slack(text)
        guard escaped.count > limit else { return escaped }
        let marker = "… (truncated)"
        var cut = String(escaped.prefix(max(0, limit - marker.count)))
        if let ampersand = cut.lastIndex(of: "&"), !cut[ampersand...].contains(";") { cut = String(cut[..<ampersand]) }
        return cut + marker
    }

    /// Backslash-escaped text cut to `limit` without leaving a lone escaping backslash at the cut.
    public static func fitEscaped(_ text: String, _ limit: Int) -> String {
        guard text.count > limit else { return text }
        let marker = "… (truncated)"
        var cut = String(text.prefix(max(0, limit - marker.count)))
        let trailing = cut.reversed().prefix { $0 == "\\" }.count
        if trailing % 2 == 1 { cut.removeLast() }
        return cut + marker
    }

    /// Cuts `text` to at most `limit` characters (Unicode scalars counted as the targets do,
    /// by characters), saying that it did.
    public static func fit(_ text: String, _ limit: Int) -> String {
        guard text.count > limit else { return text }
        let marker = "… (truncated)"
        return String(text.prefix(max(0, limit - marker.count))) + marker
    }

    /// Control characters other than newlines and tabs removed: they have no business in a chat message.
    public static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { $0 == "\n" || $0 == "\t" || !($0.value < 0x20 || $0.value == 0x7F || (0x80..<0xA0).contains($0.value)) }))
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
                output += rest[..<range.lowerBound] + "@\u{2060}" + rest[rest.index(after: range.lowerBound)..<range.upperBound]
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
