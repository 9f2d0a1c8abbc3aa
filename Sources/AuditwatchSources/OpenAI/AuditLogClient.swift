public import AuditwatchCore

/// Reads pages of the organization audit log over an HTTP transport, with the Admin API key.
public final class AuditLogClient {
    /// Why a request did not produce a page.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// 401/403: the key is wrong, revoked, or lacks the audit-log right. Not retried.
        case unauthorized(status: Int, message: String)
        /// 429, 5xx, network: worth retrying, after `retryAfter` seconds if the server said.
        case transient(message: String, retryAfter: Int?)
        /// Anything else (a 400, an unreadable body): not retried.
        case permanent(message: String)
        /// The service is stopping: the request was aborted, or its retry given up. Nothing failed,
        /// so it counts as no failure of the source (no `failing since`, no unavailable alert).
        case stopped(message: String)

        public var description: String {
            switch self {
            case let .unauthorized(status, message): return "the Admin API key was refused (HTTP \(status)): \(message)"
            case let .transient(message, _): return message
            case let .permanent(message): return message
            case let .stopped(message): return message
            }
        }
    }

    /// One page: the events' JSON (raw, newest first as the API returns them) and paging facts.
    public struct Page: Sendable {
        public var document: JSONDocument
        public var events: [Event]
        public var hasMore: Bool
        public var firstID: String?
        public var lastID: String?
        /// Elements of `data` that are not usable events (no id, type or effective_at): counted, skipped.
        public var invalidEvents = 0
    }

    private let http: any HTTPTransport
    private let baseURL: String
    private let adminKey: String

    /// `baseURL` like `https://api.openai.com/v1`.
    public init(baseURL: String, adminKey: String, http: any HTTPTransport) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.adminKey = adminKey
        self.http = http
    }

    public func page(_ query: AuditLogQuery) -> Result<Page, Failure> {
        let request = HTTPRequest(
            url: baseURL + "/organization/audit_logs?" + query.queryString,
            headers: [
                (name: "Authorization", value: "Bearer " + adminKey), (name: "Accept", value: "application/json"),
            ])
        let response: HTTPResponse
        do {
            response = try http.perform(request)
        } catch {
            if error.aborted { return .failure(.stopped(message: error.message)) }
            return .failure(
                error.isTransient
                    ? .transient(message: error.message, retryAfter: nil) : .permanent(message: error.message))
        }
        // An API that quotes the key back (in any encoding) must not put it on anyone's terminal.
        let message = AuditLogClient.errorMessage(response, secrets: [adminKey])
        switch response.status {
        case 200:
            break
        case 401, 403:
            return .failure(.unauthorized(status: response.status, message: message))
        case 408, 409, 429, 500...599:
            return .failure(.transient(message: "HTTP \(response.status): \(message)", retryAfter: response.retryAfter))
        default:
            return .failure(.permanent(message: "HTTP \(response.status): \(message)"))
        }
        let document: JSONDocument
        do { document = try JSONDocument(parsing: response.body) } catch {
            // Invalid UTF-8 in one event must not stall the source on a page that never parses:
            // it is replaced by U+FFFD and the page read (as the file reader does).
            guard error.message.contains("UTF-8"),
                let repaired = try? JSONDocument(parsing: Array(String(decoding: response.body, as: UTF8.self).utf8))
            else {
                return .failure(.transient(message: "unreadable audit-log page: \(error)", retryAfter: nil))
            }
            document = repaired
        }
        guard document.kind(0) == .object, let data = document.member(0, "data"), document.kind(data) == .array else {
            return .failure(.permanent(message: "the audit-log answer has no 'data' list"))
        }
        var events: [Event] = []
        var invalid = 0
        for element in document.elements(data) {
            if let event = try? Event(document: document, root: element) { events.append(event) } else { invalid += 1 }
        }
        let hasMore = document.member(0, "has_more").map { document.kind($0) == .true } ?? false
        return .success(
            Page(
                document: document, events: events, hasMore: hasMore,
                firstID: document.member(0, "first_id").flatMap { document.text($0) },
                lastID: document.member(0, "last_id").flatMap { document.text($0) } ?? events.last?.id,
                invalidEvents: invalid))
    }

    /// The `error.message` of an API error body, or a short form of the body.
    /// Every form of `secrets` is removed before the text is cut (a cut must not leave half a key).
    static func errorMessage(_ response: HTTPResponse, secrets: [String] = []) -> String {
        if let document = try? JSONDocument(parsing: response.body), document.kind(0) == .object,
            let error = document.member(0, "error"), let message = document.member(error, "message"),
            let text = document.text(message)
        {
            return MessageText.fit(MessageText.printable(SecretForms.redact(text, secrets: secrets)), 300)
        }
        return MessageText.fit(MessageText.printable(SecretForms.redact(response.bodyText, secrets: secrets)), 300)
    }
}
