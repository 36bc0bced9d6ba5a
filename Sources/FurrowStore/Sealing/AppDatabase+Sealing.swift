import Crypto
import _CryptoExtras
import Foundation
import FurrowCore
import GRDB

/// Personal data at rest: customers' ID numbers, mobiles and addresses are kept sealed
/// (`id_sealed`, `mobile_sealed`, `address_sealed`), as are prospects' mobiles and ID numbers,
/// corrections' old and new values and the ops that carry them (`SealedFields`, `SealedOps`);
/// the plain columns hold only the masked forms, which is what lists, search and masking need
/// (with `phone_last4`, `id_last4/6` and the village). The data key that seals them is kept in `store_key`, wrapped by a key from a
/// key file, `FURROW_KEY`, or the user's PIN (docs/security.md). Reveals open them.
extension AppDatabase {
    /// SQL for a customer's sealed column's value in clear (opening it needs the store unlocked).
    static func clearSQL(_ plain: String, alias a: String) -> String {
        sealedField("customers", plain).clearSQL(alias: a)
    }

    /// SQL that is true when a sealed column holds the value of the `?` it has twice (bind the
    /// value twice): exact while the store is unlocked, by the masked form's visible characters
    /// while it is locked.
    static func sealedMatchSQL(_ plain: String, alias a: String) -> String {
        let sealed = sealedField("customers", plain).sealed
        return """
            (CASE WHEN furrow_unlocked() AND \(a).\(sealed) IS NOT NULL THEN upper(furrow_open(\(a).\(sealed), \(a).customer_id, '\(plain)')) = upper(?)
             ELSE \(a).\(plain) = furrow_mask('\(plain)', ?, \(a).id_type) END)
            """
    }

    public enum SealingState: Equatable, Sendable {
        /// The data key is in memory: personal data can be sealed and opened.
        case unlocked
        /// The store has a key this process has not opened; `wrap` says with what (`key`, `pin`).
        case locked(wrap: String)
        /// No key yet (a store made before sealing, never unlocked since).
        case noKey
    }

    public func sealingState() throws(StoreError) -> SealingState {
        if keyring.isUnlocked { return .unlocked }
        return try readOnWriter { db in
            try String.fetchOne(db, sql: "SELECT wrap FROM store_key").map { .locked(wrap: $0) } ?? .noKey
        }
    }

    /// Opens the store's data key with `source` (or, for a store with no key yet, makes one
    /// wrapped by `source`), then seals whatever a migration left in clear.
    public func unlock(_ source: StoreKeySource) throws(StoreError) {
        let wrapping: SymmetricKey
        let existing = try readOnWriter { db in try Row.fetchOne(db, sql: "SELECT wrap, salt, rounds, wrapped FROM store_key") }
        if let row = existing {
            let wrap: String = row["wrap"]
            guard wrap == source.wrap else {
                throw StoreError.invalid(field: wrap == "pin" ? "PIN" : "key",
                                         reason: wrap == "pin" ? "this store's personal data opens with the user's PIN"
                                                               : "this store's personal data opens with its key file (or FURROW_KEY), not a PIN")
            }
            let isPIN = wrap == "pin"
            // Wrong PINs wait (PINBackoff), counted in the store so a restart does not reset them.
            if isPIN { try checkPINWait() }
            wrapping = try Self.wrappingKey(source, salt: row["salt"], rounds: row["rounds"], creating: false)
            let wrapped: Data = row["wrapped"]
            guard let box = try? AES.GCM.SealedBox(combined: wrapped),
                  let raw = try? AES.GCM.open(box, using: wrapping, authenticating: Self.wrapBinding) else {
                if isPIN { setPINFailures(pinFailures().count + 1, last: clock()) }
                throw StoreError.invalid(field: source.wrap == "pin" ? "PIN" : "key", reason: "does not open this store's personal data")
            }
            if isPIN, pinFailures().count > 0 { setPINFailures(0, last: nil) }
            keyring.set(FieldSealer(dataKey: SymmetricKey(data: raw)))
        } else {
            let salt = Data(SymmetricKey(size: .bits128).withUnsafeBytes { Data($0) })
            wrapping = try Self.wrappingKey(source, salt: salt, rounds: Self.pinRounds, creating: true)
            let sealer = FieldSealer.random()
            try write { db in
                // Another process may have made the key meanwhile: then this one must open it instead.
                guard try Row.fetchOne(db, sql: "SELECT 1 FROM store_key") == nil else { throw StoreError.locked(path: path) }
                try Self.saveKey(db, sealer, wrappedBy: wrapping, source: source, salt: salt, at: clock())
            }
            keyring.set(sealer)
        }
        try sealPending()
    }

    /// Wraps the data key anew (a PIN set, changed or cleared). The store must be unlocked.
    public func rewrap(to source: StoreKeySource) throws(StoreError) {
        guard let sealer = keyring.sealer else { throw StoreError.invalid(field: "key", reason: StoreKeyring.Locked().description) }
        let salt = Data(SymmetricKey(size: .bits128).withUnsafeBytes { Data($0) })
        let wrapping = try Self.wrappingKey(source, salt: salt, rounds: Self.pinRounds, creating: true)
        try write { db in
            try db.execute(sql: "DELETE FROM store_key")
            try Self.saveKey(db, sealer, wrappedBy: wrapping, source: source, salt: salt, at: clock())
            try Audit.record(db, at: clock(), actor: "local", action: "store.key", customerID: nil, detail: "wrapped by \(source.wrap)")
        }
        // Wrapped by the PIN now: the key file beside the store would open it without one.
        if case .pin = source, path != ":memory:" { KeyFile.destroy(path + ".key") }
    }

    /// Reads the key's state on the connection that ran the migrations: a pool's reader opened
    /// before them (the migrator's own check) can still answer from the empty schema it first saw.
    func readOnWriter<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try writer.writeWithoutTransaction(body) } catch { throw StoreError.from(error, path: path) }
    }

    /// How the store's key wraps are recorded: `key` (a key file or FURROW_KEY), `pin`, or nil
    /// before the first unlock.
    public func keyWrap() throws(StoreError) -> String? {
        try readOnWriter { db in try String.fetchOne(db, sql: "SELECT wrap FROM store_key") }
    }

    /// Associated data of the wrapped data key.
    static let wrapBinding = Data("furrow store key v1".utf8)
    static let pinRounds = 200_000

    private static func saveKey(_ db: Database, _ sealer: FieldSealer, wrappedBy wrapping: SymmetricKey, source: StoreKeySource,
                                salt: Data, at: Date) throws {
        let raw = sealer.dataKey.withUnsafeBytes { Data($0) }
        let wrapped = try AES.GCM.seal(raw, using: wrapping, authenticating: wrapBinding).combined ?? Data()
        try db.execute(sql: "INSERT INTO store_key (id, wrap, salt, rounds, wrapped, created_at) VALUES (1, ?, ?, ?, ?, ?)",
                       arguments: [source.wrap, salt, pinRounds, wrapped, Timestamp.utcNow(at)])
    }

    private static func wrappingKey(_ source: StoreKeySource, salt: Data, rounds: Int, creating: Bool) throws(StoreError) -> SymmetricKey {
        switch source {
        case .secret(let k):
            return SymmetricKey(data: k)
        case .file(let path):
            if let k = try KeyFile.read(path) { return k }
            guard creating else {
                throw StoreError.invalid(field: "key file", reason: "\(path) is missing: this store's ID numbers, mobiles and addresses cannot be opened without it (or, on a branch, the FURROW_KEY it was made with)")
            }
            return try KeyFile.create(path)
        case .pin(let pin):
            guard (1000...10_000_000).contains(rounds) else { throw StoreError.invalid(field: "store key", reason: "PIN rounds out of range") }
            do {
                return try KDF.Insecure.PBKDF2.deriveKey(from: Array(pin.utf8), salt: Array(salt), using: .sha256,
                                                         outputByteCount: 32, unsafeUncheckedRounds: rounds)
            } catch {
                throw StoreError.invalid(field: "PIN", reason: "cannot derive a key: \(error)")
            }
        }
    }

    /// Seals the values a migration (or an older branch's snapshot) left in clear, then —
    /// when there were any — rewrites the file so their old pages are gone from it too.
    func sealPending() throws(StoreError) {
        guard try readOnWriter({ db in try Bool.fetchOne(db, sql: "SELECT 1 FROM sync_state WHERE key = 'sealing'") }) == true else { return }
        let sealed = try write { db -> Int in
            let n = try Self.sealEverythingInClear(db)
            try db.execute(sql: "DELETE FROM sync_state WHERE key = 'sealing'")
            return n
        }
        guard sealed > 0, path != ":memory:" else { return }
        do {
            try writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                try db.execute(sql: "VACUUM")
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        } catch {
            throw StoreError.from(error, path: path)
        }
    }

    /// Opens these customers' ID numbers, mobiles and addresses for `actor` to see, and records
    /// the reveal and why in the same transaction: nothing is opened without its audit entry
    /// (`onBranch`: see `recordReveal`). Throws when the store is locked or a customer is unknown.
    public func reveal(customerIDs: [String], by actor: String, context: String,
                       onBranch: Bool = false) throws(StoreError) -> [String: RevealedIdentity] {
        let sealer = try unlockedSealer()
        return try write { db in
            var opened: [String: RevealedIdentity] = [:]
            let keys = sealer.keys()
            for id in customerIDs { opened[id] = try Self.identity(db, customerID: id, keys) }
            try recordReveal(db, customerIDs: customerIDs, by: actor, context: context, onBranch: onBranch)
            return opened
        }
    }

    /// The same values without an audit entry, for checks that never show them to anyone (tests).
    func revealIdentity(customerID: String) throws(StoreError) -> RevealedIdentity {
        let sealer = try unlockedSealer()
        return try read { db in try Self.identity(db, customerID: customerID, sealer.keys()) }
    }

    private func unlockedSealer() throws(StoreError) -> FieldSealer {
        guard let sealer = keyring.sealer else { throw StoreError.invalid(field: "key", reason: StoreKeyring.Locked().description) }
        return sealer
    }

    private static func identity(_ db: Database, customerID: String, _ sealer: FieldSealer.Keys) throws -> RevealedIdentity {
        guard let r = try Row.fetchOne(db, sql: """
            SELECT id_number, id_sealed, mobile, mobile_sealed, address, address_sealed FROM customers WHERE customer_id = ?
            """, arguments: [customerID]) else {
            throw StoreError.notFound(what: "customer \(customerID)")
        }
        // The customer's corrections carry old and new values of the same fields.
        var corrections: [String: RevealedCorrection] = [:]
        for p in try Row.fetchAll(db, sql: "SELECT proposal_id, old_value, old_sealed, new_value, new_sealed FROM profile_proposals WHERE customer_id = ?",
                                  arguments: [customerID]) {
            let id: String = p["proposal_id"]
            corrections[id] = RevealedCorrection(oldValue: try opened(p, "old_value", "old_sealed", record: id, sealer),
                                                 newValue: try opened(p, "new_value", "new_sealed", record: id, sealer) ?? "")
        }
        return RevealedIdentity(idNumber: try opened(r, "id_number", "id_sealed", record: customerID, sealer),
                                mobile: try opened(r, "mobile", "mobile_sealed", record: customerID, sealer),
                                address: try opened(r, "address", "address_sealed", record: customerID, sealer), corrections: corrections)
    }

    /// A row's value of `plain`: opened from `sealed`, or as it is when it was never sealed.
    private static func opened(_ row: Row, _ plain: String, _ sealed: String, record: String, _ sealer: FieldSealer.Keys) throws -> String? {
        guard let blob = row[sealed] as Data? else { return row[plain] }
        do { return try sealer.open(blob, record: record, column: plain) } catch {
            throw StoreError.invalid(field: "\(record) \(plain)", reason: error.description)
        }
    }
}

public struct RevealedIdentity: Sendable, Equatable {
    public var idNumber: String?
    public var mobile: String?
    public var address: String?
    /// The customer's corrections' old and new values, by proposal.
    public var corrections: [String: RevealedCorrection] = [:]
}

public struct RevealedCorrection: Sendable, Equatable {
    public var oldValue: String?
    public var newValue: String
}

/// The SQL functions that seal, open and mask on every connection of a store:
/// `furrow_seal(value, record, column)`, `furrow_open(sealed, record, column)`,
/// `furrow_mask(column, value, id_type)` and `furrow_unlocked()`.
enum SealingFunctions {
    static func register(_ db: Database, _ keyring: StoreKeyring) {
        db.add(function: DatabaseFunction("furrow_seal", argumentCount: 3, pure: false) { v in
            guard let value = String.fromDatabaseValue(v[0]) else { return nil as Data? }
            guard let record = String.fromDatabaseValue(v[1]), let column = String.fromDatabaseValue(v[2]) else {
                throw StoreError.invalid(field: "furrow_seal", reason: "needs a record and a column")
            }
            return try keyring.required().seal(value, record: record, column: column)
        })
        db.add(function: DatabaseFunction("furrow_open", argumentCount: 3, pure: false) { v in
            guard let blob = Data.fromDatabaseValue(v[0]) else { return nil as String? }
            guard let record = String.fromDatabaseValue(v[1]), let column = String.fromDatabaseValue(v[2]) else {
                throw StoreError.invalid(field: "furrow_open", reason: "needs a record and a column")
            }
            return try keyring.required().open(blob, record: record, column: column)
        })
        db.add(function: DatabaseFunction("furrow_mask", argumentCount: 3, pure: true) { v in
            guard let column = String.fromDatabaseValue(v[0]), let value = String.fromDatabaseValue(v[1]) else { return nil as String? }
            return mask(column: column, value, idType: String.fromDatabaseValue(v[2]))
        })
        db.add(function: DatabaseFunction("furrow_unlocked", argumentCount: 0, pure: false) { _ in keyring.isUnlocked })
    }

    static func mask(column: String, _ value: String, idType: String?) -> String {
        switch column {
        case "id_number": Masking.idNumber(value, type: idType.flatMap(IDType.init(rawValue:)))
        case "mobile": Masking.mobile(value)
        default: Masking.address(value)
        }
    }
}
