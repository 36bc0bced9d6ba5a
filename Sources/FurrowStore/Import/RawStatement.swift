import Foundation
import GRDB
import GRDBSQLite

/// A prepared statement driven through SQLite's C API. The bulk import binds millions of rows;
/// going through `StatementArguments` would allocate an array of values per row, so this path
/// binds text straight from Swift's UTF-8 storage. Only FurrowStore uses it.
final class RawStatement {
    let statement: Statement
    let db: Database
    private var handle: OpaquePointer { statement.sqliteStatement }
    /// Rows the last `run()` inserted or updated (0 for an upsert that found nothing to change).
    private(set) var changes = 0

    /// The rowid of the last row inserted on this connection.
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(db.sqliteConnection) }

    init(_ db: Database, _ sql: String) throws {
        self.db = db
        self.statement = try db.makeStatement(sql: sql)
    }

    // SQLITE_TRANSIENT: SQLite copies the bytes, so the Swift string may go away after binding.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func bind(_ index: Int32, _ value: String?) {
        guard var value else { sqlite3_bind_null(handle, index); return }
        value.withUTF8 { buf in
            if let base = buf.baseAddress {
                sqlite3_bind_text(handle, index, base, Int32(buf.count), RawStatement.transient)
            } else {
                sqlite3_bind_text(handle, index, "", 0, RawStatement.transient)
            }
        }
    }

    func bind(_ index: Int32, _ value: Data?) {
        guard let value else { sqlite3_bind_null(handle, index); return }
        value.withUnsafeBytes { buf in
            sqlite3_bind_blob(handle, index, buf.baseAddress, Int32(buf.count), RawStatement.transient)
        }
    }

    func bind(_ index: Int32, _ value: Int64?) {
        guard let value else { sqlite3_bind_null(handle, index); return }
        sqlite3_bind_int64(handle, index, value)
    }

    func bind(_ index: Int32, _ value: Double) {
        sqlite3_bind_double(handle, index, value)
    }

    func bind(_ index: Int32, _ value: Int?) {
        bind(index, value.map(Int64.init))
    }

    /// Steps until done; returns the first result column of the first row as Int64, if any
    /// (used with `RETURNING id`).
    @discardableResult
    func run() throws -> Int64? {
        defer { sqlite3_reset(handle); sqlite3_clear_bindings(handle) }
        var first: Int64?
        while true {
            let rc = sqlite3_step(handle)
            if rc == SQLITE_DONE {
                changes = Int(sqlite3_changes(db.sqliteConnection))
                return first
            }
            if rc == SQLITE_ROW {
                if first == nil, sqlite3_column_count(handle) > 0 { first = sqlite3_column_int64(handle, 0) }
                continue
            }
            let ext = sqlite3_extended_errcode(db.sqliteConnection)
            // SQLITE_CONSTRAINT_PRIMARYKEY and _UNIQUE (macros that do not import).
            if ext == SQLITE_CONSTRAINT | (6 << 8) || ext == SQLITE_CONSTRAINT | (8 << 8) {
                throw ImportWriteError.duplicateKey
            }
            throw DatabaseError(
                resultCode: ResultCode(rawValue: rc),
                message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                sql: statement.sql)
        }
    }

    /// Steps and collects rows through a reader closure; used by the raw benchmark baseline.
    func forEachRow(_ body: (OpaquePointer) -> Void) throws {
        defer { sqlite3_reset(handle) }
        while true {
            let rc = sqlite3_step(handle)
            if rc == SQLITE_DONE { return }
            if rc == SQLITE_ROW { body(handle); continue }
            throw DatabaseError(
                resultCode: ResultCode(rawValue: rc),
                message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                sql: statement.sql)
        }
    }
}

/// A row the store refused for a reason the importer reports against the row.
public enum ImportWriteError: Error, Equatable {
    /// Its key is already taken by an earlier row of the same import.
    case duplicateKey
}
