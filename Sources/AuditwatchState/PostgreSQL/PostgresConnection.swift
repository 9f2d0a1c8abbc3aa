import AuditwatchCore
internal import CPostgres
import Foundation

/// One libpq connection: statements with text parameters, results read whole, transactions.
/// Errors carry the server's primary message and SQLSTATE, never a bound value, its detail
/// line (which may quote one) or the password.
final class PostgresConnection {
    private let connection: OpaquePointer
    /// The URL without its password, for messages.
    let location: String
    /// Inside `transaction`: a dropped connection is never reset there (the statements after it
    /// would run outside the transaction).
    private var inTransaction = false

    init(url: String, password: String?) throws(StateError) {
        location = PostgresConnection.redacted(url)
        // The idle-transaction limit goes in the connection's options, not a SET: `PQreset`
        // (a dropped connection opened again) keeps the options but loses session settings.
        var keywords = ["dbname", "application_name", "options"]
        var values = [url, "auditwatch", PostgresConnection.options(url: url)]
        if let password {
            keywords.append("password")
            values.append(password)
        }
        let handle = PostgresConnection.withCStrings(keywords) { keywordPointers in
            PostgresConnection.withCStrings(values) { valuePointers in aw_pq_connect(keywordPointers, valuePointers) }
        }
        guard let handle else { throw StateError("state database \(location): out of memory connecting") }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = PostgresConnection.trimmed(PQerrorMessage(handle))
            PQfinish(handle)
            throw StateError("cannot connect to state database \(location): \(message)")
        }
        aw_pq_silence_notices(handle)
        connection = handle
    }

    /// Seconds a session may stay idle inside a transaction before the server ends it. A replica
    /// stopped inside a transaction (SIGSTOP, a paused VM, a starved process) would otherwise hold
    /// its row locks as long as it is stopped: a commit's fence check locks its lease row, and
    /// every takeover of that lease would wait behind it. Once the server ends the session the
    /// stopped replica's commit fails (fenced anyway) and the takeover goes on. No transaction of
    /// ours waits on its client for anything near this long.
    static let idleTransactionLimit = 10

    /// The server options a connection sends: the idle-transaction limit, then the URL's own
    /// `options` (a keyword given apart replaces the URL's, so they are joined here; for one
    /// setting named in both, the URL's comes last and wins).
    static func options(url: String) -> String {
        let limit = "-c idle_in_transaction_session_timeout=\(idleTransactionLimit)s"
        guard let theirs = aw_pq_url_value(url, "options") else { return limit }
        defer { free(theirs) }
        let text = String(cString: theirs)
        return text.isEmpty ? limit : limit + " " + text
    }

    deinit { PQfinish(connection) }

    /// One result, read whole: rows of text values (nil for SQL NULL), and the rows a command changed.
    struct Rows {
        var values: [[String?]] = []
        var changed = 0
    }

    /// Runs `sql`. Without parameters it may hold several statements (migrations).
    @discardableResult
    func execute(_ sql: String, _ parameters: [String?] = []) throws(StateError) -> Rows {
        // A connection the server dropped (a restart, a failover) is opened again, outside a
        // transaction only: one cut mid-transaction fails it, and its caller retries whole.
        if PQstatus(connection) == CONNECTION_BAD && !inTransaction { PQreset(connection) }
        let result: OpaquePointer?
        if parameters.isEmpty {
            result = PQexec(connection, sql)
        } else {
            result = PostgresConnection.withOptionalCStrings(parameters) {
                aw_pq_exec_text(connection, sql, Int32(parameters.count), $0)
            }
        }
        guard let result else {
            throw StateError("state database \(location): \(PostgresConnection.trimmed(PQerrorMessage(connection)))")
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
            var rows = Rows()
            let (count, columns) = (PQntuples(result), PQnfields(result))
            rows.values.reserveCapacity(Int(count))
            for row in 0..<count {
                var values: [String?] = []
                for column in 0..<columns {
                    values.append(
                        PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column)))
                }
                rows.values.append(values)
            }
            rows.changed = Int(String(cString: PQcmdTuples(result))) ?? 0
            return rows
        default:
            let message = aw_pq_primary_message(result).map { String(cString: $0) } ?? "unknown error"
            let state = aw_pq_sqlstate(result).map { String(cString: $0) } ?? "?"
            throw StateError("state database \(location): \(message) (SQLSTATE \(state))")
        }
    }

    /// Runs `body` in one transaction: all of it is written, or none of it.
    func transaction<Value>(_ body: () throws(StateError) -> Value) throws(StateError) -> Value {
        try execute("BEGIN")
        inTransaction = true
        defer { inTransaction = false }
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
    }

    /// `postgresql://user:secret@host/db` names itself `postgresql://user@host/db`.
    static func redacted(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        let userInfo = rest[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + String(url[at...])
    }

    private static func trimmed(_ text: UnsafePointer<CChar>?) -> String {
        guard let text else { return "unknown error" }
        return String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: "\n", with: "; ")
    }

    private static func withCStrings<Value>(
        _ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> Value
    ) -> Value {
        withOptionalCStrings(strings.map { Optional($0) }) { pointers in
            // libpq reads keyword arrays up to a NULL entry.
            body(pointers)
        }
    }

    /// C strings that live for the call, NULL-terminated (libpq's keyword arrays end at NULL).
    private static func withOptionalCStrings<Value>(
        _ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> Value
    ) -> Value {
        let copies: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { strdup($0) } ?? nil }
        defer { for copy in copies { free(copy) } }
        let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } } + [nil]
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
