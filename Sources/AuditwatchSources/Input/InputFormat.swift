/// The shapes of event input `run` accepts, detected from the data.
public enum InputFormat: String, Sendable {
    /// One event per line (lines holding an API list response are expanded).
    case jsonLines = "json-lines"
    /// One API list response: `{"object": "list", "data": [...]}`.
    case listResponse = "list-response"
    /// A JSON array of events.
    case array
    /// One event object, possibly spread over several lines.
    case singleEvent = "single-event"
}
