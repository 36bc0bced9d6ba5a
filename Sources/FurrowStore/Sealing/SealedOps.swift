import Foundation
import FurrowCore
import GRDB

/// Ops whose fields carry personal data — a correction's new and old mobile or address, a new
/// prospect's mobile and ID number — are kept sealed wherever they wait or are logged: the
/// workstation's outbox, the branch's op log and change feed (bound to the op's id). They
/// travel in clear inside the authenticated connection, as snapshot pages do, and the other
/// ops' fields stay readable text.
enum SealedOps {
    /// The kinds whose definition says `sealedAtRest`.
    static var kinds: Set<String> { OpKind.sealedAtRest }

    /// SQL for an op's fields as stored; bind `arguments(kind:fields:opID:)` in its place.
    static let fieldsAtRestSQL = "(CASE WHEN ? THEN furrow_seal(?, ?, 'op') ELSE ? END)"

    static func arguments(kind: String, fields json: String, opID: String) -> [DatabaseValueConvertible?] {
        [kinds.contains(kind), json, opID, json]
    }

    /// SQL for stored fields (`column`, of the op `opID`) as JSON text again.
    static func inClearSQL(_ column: String, opID: String) -> String {
        "(CASE WHEN typeof(\(column)) = 'blob' THEN furrow_open(\(column), \(opID), 'op') ELSE \(column) END)"
    }

    /// Seals the fields of such ops still stored in clear (a store from before sealing).
    static func sealInClear(_ db: Database) throws -> Int {
        let list = kinds.sorted().map { "'\($0)'" }.joined(separator: ", ")
        var n = 0
        for (table, column) in [("outbox", "fields"), ("op_log", "fields"), ("change_feed", "payload")] {
            try db.execute(sql: """
                UPDATE \(table) SET \(column) = furrow_seal(\(column), op_id, 'op')
                WHERE kind IN (\(list)) AND typeof(\(column)) = 'text' AND op_id IS NOT NULL
                """)
            n += db.changesCount
        }
        return n
    }
}
