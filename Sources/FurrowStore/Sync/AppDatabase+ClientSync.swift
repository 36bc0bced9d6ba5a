import Foundation
import FurrowCore
import GRDB

/// The workstation's side of sync: where it stands (`sync_state`), snapshot pages and pulled
/// changes applied atomically with their cursor.
extension AppDatabase {
    /// Keys of `sync_state` the sync engine keeps (besides the clock's `node` and `hlc`).
    public enum SyncKey: String, Sendable, CaseIterable {
        case server, user, cursor
        /// The extract generation of the last complete snapshot.
        case generation
        /// A snapshot under way: its generation, phase, last customer and the feed head it started at.
        case snapshotGeneration = "snapshot_generation", snapshotPhase = "snapshot_phase", snapshotAfter = "snapshot_after"
        case snapshotHead = "snapshot_head"
        case lastSyncAt = "last_sync_at", lastProblem = "last_problem", clockSkewSeconds = "clock_skew_s"
    }

    public func syncValue(_ key: SyncKey) throws(StoreError) -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM sync_state WHERE key = ?", arguments: [key.rawValue]) }
    }

    /// Sets (or, for `nil`, removes) several keys in one transaction.
    public func setSyncValues(_ values: [SyncKey: String?]) throws(StoreError) {
        try write { db in try Self.setSync(db, values) }
    }

    static func setSync(_ db: Database, _ values: [SyncKey: String?]) throws {
        for (key, value) in values {
            if let value {
                try db.execute(sql: "INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                               arguments: [key.rawValue, value])
            } else {
                try db.execute(sql: "DELETE FROM sync_state WHERE key = ?", arguments: [key.rawValue])
            }
        }
    }

    /// Whether the store holds customers that came from an import rather than from a branch
    /// (a demo or an imported store): such a store is not synced, so the two never mix.
    public func holdsImportedData() throws(StoreError) -> Bool {
        try read { db in
            let imported = try Int.fetchOne(db, sql: "SELECT count(*) FROM import_runs") ?? 0
            return imported > 0
        }
    }

    /// Replaces this store's copy of the page's customers with the branch's rows, replays the
    /// ops not yet acknowledged for them (so nothing written meanwhile disappears), and moves
    /// the snapshot cursor — all in one transaction.
    public func applySnapshotPage(_ page: SnapshotPage) throws(StoreError) {
        try write { db in
            try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
            let json = String(decoding: try JSONEncoder().encode(page.customers), as: UTF8.self)
            let incoming = page.tables.reduce(into: [String: TableRows]()) { $0[$1.table] = $1 }
            switch page.phase {
            case .profiles:
                // Accounts that are gone take their history with them; the others keep it until the history phase.
                let newAccounts = Set((incoming["accounts"]?.rows ?? []).compactMap { row -> String? in
                    guard let i = incoming["accounts"]?.columns.firstIndex(of: "account_id"), case .text(let id) = row[i] else { return nil }
                    return id
                })
                let oldAccounts = try String.fetchAll(db, sql: "SELECT account_id FROM accounts WHERE customer_id IN (SELECT value FROM json_each(?))",
                                                      arguments: [json])
                let gone = oldAccounts.filter { !newAccounts.contains($0) }
                if !gone.isEmpty {
                    try db.execute(sql: "DELETE FROM transactions WHERE account_id IN (SELECT value FROM json_each(?))",
                                   arguments: [String(decoding: try JSONEncoder().encode(gone), as: UTF8.self)])
                }
                // The customers' rows are updated in place (their relations stay); what hangs off them is replaced.
                try Self.deleteProfiles(db, idsJSON: json, customersToo: false)
            case .history:
                for spec in Self.snapshotTables(.history) {
                    try db.execute(sql: "DELETE FROM \(spec.table) WHERE \(spec.owned)", arguments: [json])
                }
            }
            let prospects = incoming["prospects"]
            if let prospects, let i = prospects.columns.firstIndex(of: "prospect_id") {
                // The branch's clocks of these prospects' next steps replace this copy's.
                let ids = prospects.rows.compactMap { row -> String? in if case .text(let t) = row[i] { "prospect:" + t } else { nil } }
                try db.execute(sql: "DELETE FROM field_clocks WHERE record IN (SELECT value FROM json_each(?))",
                               arguments: [String(decoding: try JSONEncoder().encode(ids), as: UTF8.self)])
            }
            for t in page.tables {
                let (verb, key) = Self.snapshotVerb(t.table)
                try Self.insert(db, Self.withoutSealedColumns(t), verb: verb, upsertOn: key)
            }
            // The branch sends ID numbers, mobiles and addresses in clear over the connection;
            // they are sealed under this store's key in the same transaction, before any commit.
            try Self.sealPage(db, incoming, customersJSON: json)
            // The device's clock learns the newest stamp it now holds, as a pull's would.
            let newest = page.tables.filter { $0.table == "field_clocks" }.flatMap { clocks -> [HLC] in
                guard let i = clocks.columns.firstIndex(of: "hlc") else { return [] }
                return clocks.rows.compactMap { row -> HLC? in if case .text(let t) = row[i] { HLC(encoded: t) } else { nil } }
            }.max()
            if let newest {
                try Journal.saveStamp(db, try Journal.currentStamp(db).receive(newest, now: Int64(clock().timeIntervalSince1970 * 1000)))
            }
            if let prospects {
                try Self.reconcileProspects(db, sent: prospects, outreach: incoming["outreach_logs"], now: clock())
                try Self.replayPendingProspectOps(db)
            }
            if page.phase == .profiles {
                let mark = try db.makeStatement(sql: "INSERT OR IGNORE INTO snapshot_customers (customer_id) VALUES (?)")
                for id in page.customers { try mark.execute(arguments: [id]) }
                try Self.replayPending(db, customersJSON: json)
            }
            try Self.setSync(db, [.snapshotGeneration: String(page.generation), .snapshotPhase: page.phase.rawValue,
                                  .snapshotAfter: page.next ?? page.customers.last ?? ""])
        }
    }

    /// The end of a snapshot's profiles: customers the branch no longer gives this user
    /// (reassigned) are removed, except while they have ops not yet acknowledged.
    @discardableResult
    public func finishSnapshotProfiles() throws(StoreError) -> Int {
        try write { db in
            try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
            let stale = try String.fetchAll(db, sql: """
                SELECT customer_id FROM customers WHERE customer_id NOT IN (SELECT customer_id FROM snapshot_customers)
                AND customer_id NOT IN (SELECT customer_id FROM outbox WHERE status = 'pending' AND customer_id IS NOT NULL)
                """)
            if !stale.isEmpty {
                let json = String(decoding: try JSONEncoder().encode(stale), as: UTF8.self)
                try db.execute(sql: """
                    DELETE FROM transactions WHERE account_id IN (SELECT account_id FROM accounts WHERE customer_id IN (SELECT value FROM json_each(?)))
                    """, arguments: [json])
                try db.execute(sql: "DELETE FROM relations WHERE related_id IN (SELECT value FROM json_each(?))", arguments: [json])
                try Self.deleteProfiles(db, idsJSON: json)
            }
            try db.execute(sql: "DELETE FROM snapshot_customers")
            try Self.setSync(db, [.snapshotPhase: SnapshotPhase.history.rawValue, .snapshotAfter: ""])
            return stale.count
        }
    }

    /// The end of a snapshot: the store reflects `generation`; pulls continue from the cursor
    /// (or, for a first snapshot, from the feed head it started at).
    public func finishSnapshot(generation: Int64) throws(StoreError) {
        try write { db in
            let head = try String.fetchOne(db, sql: "SELECT value FROM sync_state WHERE key = 'snapshot_head'")
            let cursor = try String.fetchOne(db, sql: "SELECT value FROM sync_state WHERE key = 'cursor'")
            try Self.setSync(db, [.generation: String(generation), .snapshotGeneration: nil, .snapshotPhase: nil, .snapshotAfter: nil,
                                  .snapshotHead: nil, .cursor: cursor ?? head ?? "0"])
        }
    }

    /// Changes pulled from the branch, applied through the same effects as a push, with the
    /// cursor advanced in the same transaction. Changes for customers this store does not hold
    /// are skipped. Returns how many were applied.
    @discardableResult
    public func applyPulled(_ changes: [(op: SyncOp, actor: String)], next: Int64, now: Date? = nil) throws(StoreError) -> Int {
        let now = now ?? clock()
        return try write { db in
            var applied = 0
            // Learn every pulled clock, so what this device writes next is later than what it saw
            // (even on a device whose wall clock is behind).
            var clock = try Journal.currentStamp(db)
            let own = try db.makeStatement(sql: "SELECT 1 FROM outbox WHERE op_id = ?")
            let held = try db.makeStatement(sql: "SELECT 1 FROM customers WHERE customer_id = ?")
            for (op, actor) in changes {
                // This device's own ops took effect when they were written.
                if try Bool.fetchOne(own, arguments: [op.opID]) == true { continue }
                if let customer = op.customerID {
                    guard try Bool.fetchOne(held, arguments: [customer]) == true else { continue }
                } else if op.opKind?.definition.subject.hasCustomer != false {
                    continue   // names no customer, yet its kind has one (or is unknown here)
                }
                do {
                    try OpEffects.apply(db, op, actor: actor)
                    applied += 1
                } catch is OpEffects.Refusal {
                    // e.g. a reschedule of a task this store already closed: the branch said the same.
                }
                clock = clock.receive(op.hlc, now: Int64(now.timeIntervalSince1970 * 1000))
            }
            if !changes.isEmpty { try Journal.saveStamp(db, clock) }
            try Self.setSync(db, [.cursor: String(next)])
            return applied
        }
    }

    /// A branch's sealed columns mean nothing here (another key): never taken from a snapshot.
    static func withoutSealedColumns(_ t: TableRows) -> TableRows {
        let dropped = Set(sealedFields(of: t.table).map(\.sealed))
        let keep = t.columns.indices.filter { !dropped.contains(t.columns[$0]) }
        guard keep.count < t.columns.count else { return t }
        return TableRows(table: t.table, columns: keep.map { t.columns[$0] },
                         rows: t.rows.map { row in keep.compactMap { $0 < row.count ? row[$0] : nil } })
    }

    /// Seals the values a page brought in clear (customers', their corrections', prospects',
    /// payroll units' contacts)
    /// and keeps their masked forms.
    static func sealPage(_ db: Database, _ incoming: [String: TableRows], customersJSON json: String) throws {
        let page = "IN (SELECT value FROM json_each(?))"
        if incoming["customers"] != nil { try sealRows(db, table: "customers", where: "customer_id \(page)", arguments: [json]) }
        if incoming["profile_proposals"] != nil {
            try sealRows(db, table: "profile_proposals", where: "customer_id \(page)", arguments: [json])
        }
        if incoming["payroll_units"] != nil {
            // Sent whole: the rows still in clear are the page's.
            try sealRows(db, table: "payroll_units", where: "contact_mobile_sealed IS NULL AND contact_mobile IS NOT NULL", arguments: [])
        }
        if let p = incoming["prospects"], let i = p.columns.firstIndex(of: "prospect_id") {
            let ids = p.rows.compactMap { row -> String? in if case .text(let t) = row[i] { t } else { nil } }
            try sealRows(db, table: "prospects", where: "prospect_id \(page)",
                         arguments: [String(decoding: try JSONEncoder().encode(ids), as: UTF8.self)])
        }
    }

    /// Deletes the page's customers and everything that hangs off them (children first).
    private static func deleteProfiles(_ db: Database, idsJSON: String, customersToo: Bool = true) throws {
        for spec in snapshotTables(.profiles).reversed() where spec.table != "customers" {
            try db.execute(sql: "DELETE FROM \(spec.table) WHERE \(spec.owned)", arguments: [idsJSON])
        }
        if customersToo {
            try db.execute(sql: "DELETE FROM customers WHERE customer_id IN (SELECT value FROM json_each(?))", arguments: [idsJSON])
        }
    }

    private static func insert(_ db: Database, _ t: TableRows, verb: String, upsertOn key: String? = nil) throws {
        guard !t.rows.isEmpty else { return }
        // Table and column names come from the branch: only known tables, quoted columns.
        guard referenceTables.contains(t.table) || prospectTables.contains(t.table)
                || SnapshotPhase.allCases.contains(where: { p in snapshotTables(p).contains { $0.table == t.table } }) else {
            throw StoreError.invalid(field: "snapshot", reason: "unknown table \(t.table)")
        }
        let columns = t.columns.map { "\"\($0.replacingOccurrences(of: "\"", with: "\"\""))\"" }.joined(separator: ", ")
        let marks = Array(repeating: "?", count: t.columns.count).joined(separator: ", ")
        var sql = "\(verb) INTO \(t.table) (\(columns)) VALUES (\(marks))"
        if let key {
            sql = "INSERT INTO \(t.table) (\(columns)) VALUES (\(marks)) ON CONFLICT(\(key)) DO UPDATE SET "
                + t.columns.filter { $0 != key }.map { c in
                    let q = "\"\(c.replacingOccurrences(of: "\"", with: "\"\""))\""
                    return "\(q) = excluded.\(q)"
                }.joined(separator: ", ")
        }
        let statement = try db.makeStatement(sql: sql)
        for row in t.rows {
            guard row.count == t.columns.count else {
                throw StoreError.invalid(field: "snapshot", reason: "\(t.table): a row has \(row.count) values for \(t.columns.count) columns")
            }
            try statement.execute(arguments: StatementArguments(row.map { v -> DatabaseValueConvertible? in
                switch v {
                case .null: nil
                case .integer(let i): i
                case .real(let d): d
                case .text(let s): s
                }
            }))
        }
    }

    /// After the branch's prospects are in: one this copy holds that the branch did not send is
    /// either the user's own work the branch never had (written before prospects synced) — sent
    /// now, history and all — or someone else's that is no longer the user's to see, which
    /// goes (unless a change to it is still waiting to be sent).
    private static func reconcileProspects(_ db: Database, sent: TableRows, outreach: TableRows?, now: Date) throws {
        func ids(_ t: TableRows?, _ column: String) -> Set<String> {
            guard let t, let i = t.columns.firstIndex(of: column) else { return [] }
            return Set(t.rows.compactMap { if case .text(let v) = $0[i] { v } else { nil } })
        }
        let onBranch = ids(sent, "prospect_id"), daysOnBranch = ids(outreach, "outreach_id")
        guard let user = try String.fetchOne(db, sql: "SELECT value FROM sync_state WHERE key = 'user'") else { return }
        let neverSent = "NOT EXISTS (SELECT 1 FROM outbox o WHERE o.record_id = "
        func op(_ kind: OpKind, _ record: String, _ fields: [String: String?]) throws {
            try Journal.enqueue(db, SyncOp(opID: UUID().uuidString.lowercased(), hlc: try Journal.nextStamp(db, now: now), kind: kind,
                                           customerID: nil, recordID: record, fields: fields.compactMapValues { $0 }), actor: user, now: now)
        }
        for d in try Row.fetchAll(db, sql: "SELECT * FROM outreach_logs x WHERE created_by = ? AND \(neverSent)x.outreach_id)", arguments: [user])
        where !daysOnBranch.contains(d["outreach_id"]) {
            try op(.outreachLog, d["outreach_id"], ["place": d["place"], "on_day": d["on_day"], "staff": d["staff"],
                                                      "people_met": String(d["people_met"] as Int), "note": d["note"]])
        }
        for r in try Row.fetchAll(db, sql: "SELECT \(columnsInClear(db, table: "prospects", alias: "p")) FROM prospects p WHERE \(neverSent)p.prospect_id)")
        where !onBranch.contains(r["prospect_id"]) {
            let p = AppDatabase.prospect(r)
            guard p.ownerID == user else {
                try db.execute(sql: "DELETE FROM prospects WHERE prospect_id = ?", arguments: [p.prospectID])
                try db.execute(sql: "DELETE FROM field_clocks WHERE record = ?", arguments: ["prospect:" + p.prospectID])
                continue
            }
            try op(.prospectAdd, p.prospectID, ProspectEffects.addFields(p, outreachID: r["outreach_id"]))
            for h in try Row.fetchAll(db, sql: "SELECT * FROM prospect_history WHERE prospect_id = ? AND from_stage IS NOT NULL ORDER BY at, rowid",
                                      arguments: [p.prospectID]) {
                try op(.prospectStage, p.prospectID, ["from": h["from_stage"], "to": h["to_stage"], "note": h["note"], "at": h["at"]])
            }
            if let step = p.nextStep, !p.stage.isClosed {
                try op(.prospectNext, p.prospectID, ["step": step, "due": p.nextStepDue?.iso])
            }
        }
    }

    /// How a snapshot's table goes in: the branch's reference rows and prospects replace this
    /// copy's (a prospect added here and not yet sent stays); the rest were cleared for the page.
    private static func snapshotVerb(_ table: String) -> (verb: String, key: String?) {
        switch table {
        case "customers": ("INSERT", "customer_id")
        case "prospects": ("INSERT", "prospect_id")
        case "outreach_logs": ("INSERT", "outreach_id")
        case "prospect_matches": ("INSERT OR REPLACE", nil)
        case let t where referenceTables.contains(t): ("INSERT OR REPLACE", nil)
        default: ("INSERT OR IGNORE", nil)
        }
    }

    /// Ops written here and not yet acknowledged, applied again over fresh snapshot rows.
    private static func replayPending(_ db: Database, customersJSON: String) throws {
        try replay(db, where: "customer_id IN (SELECT value FROM json_each(?))", arguments: [customersJSON])
    }

    /// The same for prospects and outreach days (ops without a customer).
    private static func replayPendingProspectOps(_ db: Database) throws {
        try replay(db, where: "customer_id IS NULL AND kind IN (SELECT value FROM json_each(?))",
                   arguments: [String(decoding: try JSONEncoder().encode(OpKind.withoutCustomer.map(\.rawValue)), as: UTF8.self)])
    }

    private static func replay(_ db: Database, where condition: String, arguments: StatementArguments) throws {
        let rows = try Row.fetchAll(db, sql: "SELECT \(outboxColumns) FROM outbox o WHERE status = 'pending' AND \(condition) ORDER BY hlc", arguments: arguments)
        for r in rows {
            let op = SyncOp(opID: r["op_id"], hlc: HLC(encoded: r["hlc"]) ?? HLC(wallMs: 0, node: "?"), kind: r["kind"],
                            customerID: r["customer_id"], recordID: r["record_id"],
                            fields: OpFieldsJSON.decode(r["clear_fields"]) ?? [:])
            do { try OpEffects.apply(db, op, actor: r["actor"]) } catch is OpEffects.Refusal {}
        }
    }
}

/// What the Sync screen and the status line show.
public struct SyncOverview: Sendable, Hashable {
    public var server: String?
    public var user: String?
    public var lastSyncAt: String?
    public var lastProblem: String?
    public var clockSkewSeconds: Int
    public var pending: Int
    public var rejected: Int
    public var conflicts: Int
    public var snapshotUnderWay: Bool
}

/// A value a concurrent write overwrote (last writer wins), kept for the user to see.
public struct SyncConflict: Sendable, Hashable {
    public var id: Int64
    public var record: String
    public var field: String
    public var keptValue: String?
    public var lostValue: String?
    public var lostOp: String
    public var at: String
}

extension AppDatabase {
    /// A rejected op with the branch's code and reason; kept until the user resolves it.
    public struct AnsweredOp: Sendable, Hashable {
        public var op: SyncOp
        public var code: String?
        public var reason: String?
        public var kind: String { op.kind }
        public var customerID: String? { op.customerID }
    }

    public func rejectedOps(limit: Int = 1000) throws(StoreError) -> [AnsweredOp] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.outboxColumns) FROM outbox o WHERE status IN ('rejected', 'superseded') ORDER BY hlc LIMIT ?",
                             arguments: [limit]).map { r in
                AnsweredOp(op: SyncOp(opID: r["op_id"], hlc: HLC(encoded: r["hlc"]) ?? HLC(wallMs: 0, node: "?"), kind: r["kind"],
                                      customerID: r["customer_id"], recordID: r["record_id"],
                                      fields: OpFieldsJSON.decode(r["clear_fields"]) ?? [:],
                                      status: SyncOp.Status(rawValue: r["status"]) ?? .rejected),
                           code: r["result_code"], reason: r["result_reason"])
            }
        }
    }

    public func syncConflicts(limit: Int = 1000) throws(StoreError) -> [SyncConflict] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM sync_conflicts WHERE resolved_at IS NULL ORDER BY id DESC LIMIT ?", arguments: [limit]).map {
                SyncConflict(id: $0["id"], record: $0["record"], field: $0["field"], keptValue: $0["kept_value"], lostValue: $0["lost_value"],
                             lostOp: $0["lost_op"], at: $0["at"])
            }
        }
    }

    /// A rejected op the user gives up on (after confirming): it leaves the list, and the
    /// audit trail says who discarded it.
    public func discardRejectedOp(_ opID: String, by actor: String) throws(StoreError) {
        try write { db in
            guard let kind = try String.fetchOne(db, sql: "SELECT kind FROM outbox WHERE op_id = ? AND status IN ('rejected', 'superseded')",
                                                 arguments: [opID]) else {
                throw StoreError.notFound(what: "rejected change \(opID)")
            }
            try db.execute(sql: "UPDATE outbox SET status = 'discarded' WHERE op_id = ?", arguments: [opID])
            try db.execute(sql: "DELETE FROM drafts WHERE kind = ?", arguments: [Self.editDraftKind(opID)])
            try Audit.record(db, at: clock(), actor: actor, action: "sync.discard", customerID: nil, detail: "\(opID) \(kind)")
        }
    }

    /// The draft kind of an edit of the refused change `opID` (one per change).
    public static func editDraftKind(_ opID: String) -> String { "sync.edit:\(opID)" }

    /// Sends a rejected or superseded change again (after the reason went away, e.g. the
    /// customer was given back, or to insist on a value that lost): as a new op with a new id
    /// and a fresh clock — the branch answers an op id once, and the user has now seen the
    /// current values. The old op is kept as `resubmitted`. Audited. Returns the new op's id.
    /// `edits`: new values for fields of `EditableOpField.fields(ofKind:)` (what the RM typed
    /// again); the local record takes them too. A bad value is refused by its field, changing nothing.
    @discardableResult
    public func resubmitOp(_ opID: String, edits: [String: String] = [:], draftID: String? = nil,
                           by actor: String) throws(StoreError) -> String {
        let now = clock()
        return try write { db in
            guard let r = try Row.fetchOne(db, sql: "SELECT \(Self.outboxColumns) FROM outbox o WHERE op_id = ? AND status IN ('rejected', 'superseded')",
                                           arguments: [opID]) else {
                throw StoreError.notFound(what: "rejected change \(opID)")
            }
            let kind: String = r["kind"], customer: String? = r["customer_id"], record: String? = r["record_id"]
            var fields = OpFieldsJSON.decode(r["clear_fields"]) ?? [:]
            let editable = EditableOpField.fields(ofKind: kind)
            var edited: [String] = []
            for (name, value) in edits.sorted(by: { $0.key < $1.key }) {
                guard let e = editable.first(where: { $0.field == name }) else {
                    throw StoreError.invalid(field: name, reason: "a \(kind) change has no field \(name) to edit")
                }
                if value == fields[name] ?? "" { continue }   // as it was: not an edit
                edited.append(name)
                if let problem = e.problem(with: value) { throw StoreError.invalid(field: name, reason: problem) }
                let stored = e.check == .day ? value.trimmingCharacters(in: .whitespaces) : value
                fields[name] = stored
                if let c = e.column, let record {
                    try db.execute(sql: "UPDATE \(c.table) SET \(c.column) = ? WHERE \(c.key) = ?", arguments: [stored, record])
                }
            }
            let stamp = try Journal.nextStamp(db, now: now)
            fields = try Journal.withBaseClocks(db, kind: kind, customerID: customer, recordID: record,
                                                fields: fields.filter { !$0.key.hasPrefix("_base.") })
            let op = SyncOp(opID: UUID().uuidString.lowercased(), hlc: stamp, kind: kind, customerID: customer, recordID: record, fields: fields)
            // Here too the change takes effect again (a value that had lost is put back).
            // (A prospect's op names no customer: it applies here too.)
            let applies = try customer.map { c in
                try Bool.fetchOne(db, sql: "SELECT 1 FROM customers WHERE customer_id = ?", arguments: [c]) == true
            } ?? (OpKind(rawValue: kind)?.definition.subject.hasCustomer == false)
            if applies {
                do { try OpEffects.apply(db, op, actor: r["actor"]) } catch is OpEffects.Refusal {}
            }
            try Journal.enqueue(db, op, actor: r["actor"], now: now)
            try db.execute(sql: "UPDATE outbox SET status = 'resubmitted' WHERE op_id = ?", arguments: [opID])
            // An edit kept as a draft is done with, whichever way the change was sent again.
            try db.execute(sql: "DELETE FROM drafts WHERE draft_id = ? OR kind = ?", arguments: [draftID, Self.editDraftKind(opID)])
            // The audit names what was edited, not the words (they may hold personal data).
            let editNote = edited.isEmpty ? "" : " edited " + edited.joined(separator: ",")
            try Audit.record(db, at: clock(), actor: actor, action: "sync.resubmit", customerID: customer, detail: "\(opID) \(kind) → \(op.opID)\(editNote)")
            return op.opID
        }
    }

    /// The user has seen a conflict and accepts the value that was kept. Audited.
    public func acceptConflict(_ id: Int64, by actor: String) throws(StoreError) {
        try write { db in
            try db.execute(sql: "UPDATE sync_conflicts SET resolved_at = ?, resolved_by = ? WHERE id = ? AND resolved_at IS NULL",
                           arguments: [Timestamp.utcNow(clock()), actor, id])
            guard db.changesCount == 1 else { throw StoreError.notFound(what: "conflict \(id)") }
            try Audit.record(db, at: clock(), actor: actor, action: "sync.accept_conflict", customerID: nil, detail: String(id))
        }
    }

    public func syncOverview() throws(StoreError) -> SyncOverview {
        try read { db in
            let state = try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT key, value FROM sync_state").map {
                ($0["key"] as String, $0["value"] as String)
            })
            let counts = try Row.fetchOne(db, sql: """
                SELECT count(*) FILTER (WHERE status = 'pending'), count(*) FILTER (WHERE status IN ('rejected', 'superseded')) FROM outbox
                """)
            return SyncOverview(server: state[SyncKey.server.rawValue], user: state[SyncKey.user.rawValue],
                                lastSyncAt: state[SyncKey.lastSyncAt.rawValue], lastProblem: state[SyncKey.lastProblem.rawValue],
                                clockSkewSeconds: state[SyncKey.clockSkewSeconds.rawValue].flatMap { Int($0) } ?? 0,
                                pending: counts?[0] ?? 0, rejected: counts?[1] ?? 0,
                                conflicts: try Int.fetchOne(db, sql: "SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL") ?? 0,
                                snapshotUnderWay: state[SyncKey.snapshotPhase.rawValue] != nil)
        }
    }
}

extension AppDatabase {
    /// SQLite's own check of the file and of every foreign key (after a crash or a cut sync).
    /// SQLite 3.40 (Debian 12's) reports "NULL value in T.C" for NOT NULL columns of WITHOUT
    /// ROWID tables whose key columns do not come first, even when no such NULL exists; such a
    /// line counts only if a query finds the NULL.
    public func integrityCheck() throws(StoreError) -> Bool {
        try read { db in
            for line in try String.fetchAll(db, sql: "PRAGMA integrity_check") where line != "ok" {
                let parts = line.hasPrefix("NULL value in ") ? line.dropFirst("NULL value in ".count).split(separator: ".") : []
                guard parts.count == 2, parts.allSatisfy({ $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }) else { return false }
                if try Int.fetchOne(db, sql: "SELECT count(*) FROM \(parts[0]) WHERE \(parts[1]) IS NULL") != 0 { return false }
            }
            return try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty
        }
    }
}

extension AppDatabase {
    /// Ops the branch acknowledged as applied (or as a duplicate of an applied one).
    public func appliedOpCount() throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE status IN ('applied', 'duplicate')") ?? 0 }
    }
}
