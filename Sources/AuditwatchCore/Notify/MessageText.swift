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
