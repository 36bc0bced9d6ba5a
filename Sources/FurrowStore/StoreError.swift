import Foundation
import GRDB

/// Why the store could not be used, in words an RM or an administrator can act on.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    case locked(path: String)
    case readOnly(path: String)
    case notAStore(path: String)
    case corrupt(path: String)
    /// The disk (or the file system) holding the store has no room left: the write was undone.
    case diskFull(path: String)
    case newerVersion(path: String, unknownMigrations: [String])
    case cannotOpen(path: String, reason: String)
    case notFound(what: String)
    case invalid(field: String, reason: String)
    case database(String)

    public var description: String {
        switch self {
        case .locked(let p):
            "the store \(p) is locked by another program (another furrow or an import still running); try again when it has finished"
        case .readOnly(let p):
            "the store \(p) is read-only; check the file's permissions or choose another store with --store"
        case .notAStore(let p):
            "\(p) is not a Furrow store (not an SQLite database); choose another file with --store"
        case .corrupt(let p):
            "the store \(p) is damaged (SQLite reports corruption); restore it from a backup or re-import the extracts into a new store"
        case .diskFull(let p):
            "the disk holding the store \(p) is full: nothing was saved (what was typed is kept on screen); free some space and try again"
        case .newerVersion(let p, let unknown):
            "the store \(p) was written by a newer version of Furrow (it has migrations this version does not know: \(unknown.joined(separator: ", "))); upgrade furrow to open it"
        case .cannotOpen(let p, let reason):
            "cannot open the store \(p): \(reason)"
        case .notFound(let what):
            "\(what) was not found"
        case .invalid(let field, let reason):
            "\(field): \(reason)"
        case .database(let message):
            "database error: \(message)"
        }
    }

    /// Maps SQLite's result codes to the cases a person can act on.
    static func from(_ error: any Error, path: String) -> StoreError {
        if let e = error as? StoreError { return e }
        guard let db = error as? DatabaseError else {
            return .cannotOpen(path: path, reason: String(describing: error))
        }
        switch db.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .locked(path: path)
        case .SQLITE_READONLY: return .readOnly(path: path)
        case .SQLITE_NOTADB: return .notAStore(path: path)
        case .SQLITE_CORRUPT: return .corrupt(path: path)
        case .SQLITE_FULL: return .diskFull(path: path)
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH:
            return .cannotOpen(path: path, reason: db.message ?? "permission denied or missing directory")
        default: return .database(db.message ?? "\(db.resultCode)")
        }
    }
}
