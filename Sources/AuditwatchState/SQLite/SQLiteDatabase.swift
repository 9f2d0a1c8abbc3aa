import AuditwatchCore
internal import CSQLite

/// A small, safe wrapper over one SQLite connection: prepared statements, typed binding,
/// transactions. Errors carry SQLite's message (never bound values, which may be secrets).
final class SQLiteDatabase {
    private var handle: OpaquePointer?
    let path: String

    init(path: String) throws(StateError) {
        self.path = path
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        guard sqlite3_open_v2(path, &handle, flags, nil) == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(handle)
            throw StateError("cannot open state file '\(path)': \(message)")
        }
        // Delivery lanes write beside the main thread (each on its own connection); SQLite's
        // busy handler is not fair, so a writer may wait behind many short ones under load.
        sqlite3_busy_timeout(handle, 30_000)
    }

    deinit { sqlite3_close(handle) }

    /// Runs statements that take no parameters and return no rows.
    func execute(_ sql: String) throws(StateError) {
        var error: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(handle, sql, nil, nil, &error) == SQLITE_OK else {
            let message = error.map { String(cString: $0) } ?? "unknown error"
            sqlite3_free(error)
            throw StateError("state file '\(path)': \(message)")
        }
    }

    /// A prepared statement; bind with `Value`s, step through rows.
    func prepare(_ sql: String) throws(StateError) -> Statement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw StateError("state file '\(path)': \(String(cString: sqlite3_errmsg(handle)))")
        }
        return Statement(statement, database: self)
    }

    /// Runs `body` in one transaction: all of it is written, or none of it.
    func transaction<Result>(_ body: () throws(StateError) -> Result) throws(StateError) -> Result {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    var lastError: String { String(cString: sqlite3_errmsg(handle)) }
    var changes: Int { Int(sqlite3_changes(handle)) }

    enum Value {
        case integer(Int64)
        case text(String)
        case blob([UInt8])
        case null
    }

    final class Statement {
        private let statement: OpaquePointer
        private unowned let database: SQLiteDatabase

        init(_ statement: OpaquePointer, database: SQLiteDatabase) {
            self.statement = statement
            self.database = database
        }

        deinit { sqlite3_finalize(statement) }

        /// Binds `values` to parameters 1…n, replacing earlier bindings.
        @discardableResult
        func bind(_ values: [Value]) throws(StateError) -> Statement {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
            for (offset, value) in values.enumerated() {
                let index = Int32(offset + 1)
                let code: Int32
                switch value {
                case .integer(let number): code = sqlite3_bind_int64(statement, index, number)
                case .text(let text): code = aw_sqlite3_bind_text(statement, index, text, -1)
                case .blob(let bytes):
                    code = bytes.withUnsafeBytes {
                        aw_sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count))
                    }
                case .null: code = sqlite3_bind_null(statement, index)
                }
                guard code == SQLITE_OK else {
                    throw StateError("state file '\(database.path)': \(database.lastError)")
                }
            }
            return self
        }

        /// Runs a statement that returns no rows.
        func run() throws(StateError) {
            let code = sqlite3_step(statement)
            guard code == SQLITE_DONE || code == SQLITE_ROW else {
                throw StateError("state file '\(database.path)': \(database.lastError)")
            }
            sqlite3_reset(statement)
        }

        /// Steps to the next row; false at the end.
        func next() throws(StateError) -> Bool {
            let code = sqlite3_step(statement)
            if code == SQLITE_ROW { return true }
            guard code == SQLITE_DONE else { throw StateError("state file '\(database.path)': \(database.lastError)") }
            return false
        }

        func integer(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }
        func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }

        func text(_ column: Int32) -> String? {
            guard let pointer = sqlite3_column_text(statement, column) else { return nil }
            return String(
                decoding: UnsafeBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(statement, column))),
                as: UTF8.self)
        }

        func blob(_ column: Int32) -> [UInt8] {
            guard let pointer = sqlite3_column_blob(statement, column) else { return [] }
            return Array(UnsafeRawBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(statement, column))))
        }
    }
}
