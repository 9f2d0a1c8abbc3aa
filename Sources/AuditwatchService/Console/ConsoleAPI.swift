import AuditwatchConsole
import AuditwatchCore
import FlyingFox
import Foundation

/// `GET /api/v1/silences`, `POST /api/v1/silences` (`{"matchers": ["rule=…"], "for": "2h",
/// "comment": "…", "author": "…"}`), `DELETE /api/v1/silences/ID`: JSON, behind the bearer token.
extension ConsoleServer {
    private struct NewSilence: Decodable {
        var matchers: [String]
        var `for`: String
        var comment: String
        var author: String?
    }

    func api(_ request: FlyingFox.HTTPRequest) async throws -> FlyingFox.HTTPResponse {
        guard let token = context.token else {
            return .json(#"{"error":"server.token is not set: the silences API is off"}"#, .forbidden)
        }
        let header = request.headers[.authorization] ?? ""
        guard header.hasPrefix("Bearer "), ConstantTime.equal(String(header.dropFirst(7)), token) else {
            var response = FlyingFox.HTTPResponse.json(
                #"{"error":"a bearer token (server.token) is required"}"#, .unauthorized)
            response.headers[HTTPHeader("WWW-Authenticate")] = "Bearer"
            return response
        }
        let now = context.clock()
        let store = try store()
        switch request.method {
        case .GET:
            return .json(SilenceJSON.list(try store.silences(), now: now))
        case .POST:
            let body = try await request.bodyData
            let draft: NewSilence
            do { draft = try JSONDecoder().decode(NewSilence.self, from: body) } catch {
                return .json(
                    #"{"error":"the body is a JSON object: {\"matchers\":[\"rule=…\"],\"for\":\"2h\",\"comment\":\"…\"}"}"#,
                    .badRequest)
            }
            let made = Silence.make(
                id: Silence.newID(), matchers: draft.matchers, duration: draft.for,
                author: draft.author ?? "api", comment: draft.comment, now: now)
            guard let silence = made.silence else { return .json(SilenceJSON.problems(made.problems), .badRequest) }
            try store.addSilence(silence)
            return .json(SilenceJSON.object(silence, now: now), .created)
        case .DELETE:
            let id = String(request.path.split(separator: "/").last ?? "")
            guard let ended = try store.expireSilence(id: id, now: now) else {
                return .json(#"{"error":"no such silence"}"#, .notFound)
            }
            return .json(SilenceJSON.object(ended, now: now))
        default:
            return .json(#"{"error":"method not allowed"}"#, .methodNotAllowed)
        }
    }
}
