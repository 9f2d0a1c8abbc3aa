/// Silences as the HTTP API and `silence list --output json` write them.
public enum SilenceJSON {
    /// One silence: id, matchers as written, `starts_at`/`ends_at` (Unix seconds and ISO 8601),
    /// its state at `now`, author and comment.
    public static func object(_ silence: Silence, now: Int64) -> String {
        var output = "{\"id\":"
        JSONWriter.appendString(silence.id, to: &output)
        output += ",\"matchers\":["
        for (index, matcher) in silence.matchers.enumerated() {
            if index > 0 { output += "," }
            JSONWriter.appendString(matcher.description, to: &output)
        }
        output += "],\"state\":\"\(silence.state(at: now).rawValue)\""
        output += ",\"starts_at\":\(silence.startsAt),\"starts\":\"\(UTCTime.iso8601(silence.startsAt))\""
        output += ",\"ends_at\":\(silence.endsAt),\"ends\":\"\(UTCTime.iso8601(silence.endsAt))\",\"author\":"
        JSONWriter.appendString(silence.author, to: &output)
        output += ",\"comment\":"
        JSONWriter.appendString(silence.comment, to: &output)
        return output + "}"
    }

    /// `{"silences":[…]}`.
    public static func list(_ silences: [Silence], now: Int64) -> String {
        "{\"silences\":[" + silences.map { object($0, now: now) }.joined(separator: ",") + "]}"
    }

    /// `{"errors":[{"matcher":0,"column":6,"message":"…"}]}`: what a refused silence got wrong.
    public static func problems(_ problems: [SilenceProblem]) -> String {
        let items = problems.map { problem in
            var output = "{\"matcher\":\(problem.matcher.map(String.init) ?? "null"),\"column\":\(problem.column),"
            output += "\"message\":"
            JSONWriter.appendString(problem.message, to: &output)
            return output + "}"
        }
        return "{\"errors\":[" + items.joined(separator: ",") + "]}"
    }
}
