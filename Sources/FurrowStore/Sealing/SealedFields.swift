import Foundation
import GRDB

/// Every column that holds personal data sealed at rest, table by table. The plain column keeps
/// the masked form (what lists and masking need); the sealed column the value under the store's
/// data key, bound to the row's key and the plain column's name. The plain column holds the
/// value in clear only while the sealed one is NULL: a store from before sealing (until its
/// first unlock) or a snapshot page inside the transaction that seals it.
struct SealedField: Sendable {
    var table: String
    var plain: String
    var sealed: String
    /// The column that names the row (bound into the seal).
    var record: String
    /// SQL for how the value is masked: a quoted kind (`'mobile'`, `'id_number'`, `'address'`)
    /// or a column holding one (a proposal's `field`).
    var maskKind: String
    /// SQL for the ID document's type, or `NULL`.
    var idType: String = "NULL"

    /// SQL for the value in clear, on a row aliased `a` (opening it needs the store unlocked).
    func clearSQL(alias a: String) -> String {
        "(CASE WHEN \(a).\(sealed) IS NULL THEN \(a).\(plain) ELSE furrow_open(\(a).\(sealed), \(a).\(record), '\(plain)') END)"
    }

    /// The assignments that seal the plain value and leave its mask (every expression of an
    /// UPDATE reads the row as it was, so both see the clear value).
    var sealAssignments: String {
        "\(sealed) = furrow_seal(\(plain), \(record), '\(plain)'), \(plain) = furrow_mask(\(maskKind), \(plain), \(idType))"
    }
}

extension AppDatabase {
    static let sealedFields: [SealedField] = [
        SealedField(table: "customers", plain: "id_number", sealed: "id_sealed", record: "customer_id", maskKind: "'id_number'", idType: "id_type"),
        SealedField(table: "customers", plain: "mobile", sealed: "mobile_sealed", record: "customer_id", maskKind: "'mobile'"),
        SealedField(table: "customers", plain: "address", sealed: "address_sealed", record: "customer_id", maskKind: "'address'"),
        SealedField(table: "prospects", plain: "mobile", sealed: "mobile_sealed", record: "prospect_id", maskKind: "'mobile'"),
        SealedField(table: "prospects", plain: "id_number", sealed: "id_sealed", record: "prospect_id", maskKind: "'id_number'",
                    idType: "'resident_id'"),
        SealedField(table: "payroll_units", plain: "contact_mobile", sealed: "contact_mobile_sealed", record: "unit_id", maskKind: "'mobile'"),
        SealedField(table: "profile_proposals", plain: "old_value", sealed: "old_sealed", record: "proposal_id", maskKind: "field"),
        SealedField(table: "profile_proposals", plain: "new_value", sealed: "new_sealed", record: "proposal_id", maskKind: "field"),
    ]

    static func sealedFields(of table: String) -> [SealedField] { sealedFields.filter { $0.table == table } }

    static func sealedField(_ table: String, _ plain: String) -> SealedField {
        sealedFields.first { $0.table == table && $0.plain == plain }!
    }

    /// A table's columns with its sealed values opened under their plain names and the sealed
    /// columns left out: how a snapshot serves them and how code that needs them in clear reads.
    static func columnsInClear(_ db: Database, table: String, alias a: String) throws -> String {
        let fields = sealedFields(of: table)
        let dropped = Set(fields.map(\.sealed))
        return try db.columns(in: table).map(\.name).filter { !dropped.contains($0) }.map { c in
            guard let f = fields.first(where: { $0.plain == c }) else { return "\(a).\(c)" }
            return "\(f.clearSQL(alias: a)) AS \(c)"
        }.joined(separator: ", ")
    }

    /// Seals, in one statement per table, the plain values of the rows `condition` selects
    /// (rows just written in clear: a snapshot page's).
    static func sealRows(_ db: Database, table: String, where condition: String, arguments: StatementArguments) throws {
        let set = sealedFields(of: table).map(\.sealAssignments).joined(separator: ", ")
        guard !set.isEmpty else { return }
        try db.execute(sql: "UPDATE \(table) SET \(set) WHERE \(condition)", arguments: arguments)
    }

    /// Seals whatever is still in clear anywhere (a store from before sealing); the number of values.
    static func sealEverythingInClear(_ db: Database) throws -> Int {
        var n = 0
        for f in sealedFields {
            try db.execute(sql: "UPDATE \(f.table) SET \(f.sealAssignments) WHERE \(f.sealed) IS NULL AND \(f.plain) IS NOT NULL")
            n += db.changesCount
        }
        n += try SealedOps.sealInClear(db)
        return n
    }
}
