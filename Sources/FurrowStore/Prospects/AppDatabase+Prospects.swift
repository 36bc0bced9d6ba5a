import Foundation
import FurrowCore
import GRDB

/// Prospects: people who are not customers yet, worked through stages by an RM; converted when
/// an extract brings them as a customer (same ID number or mobile), never merged on a guess — a
/// near match (same name, and the same village or employer) waits for the RM to say.
extension AppDatabase {
    @discardableResult
    public func addProspect(name: String, mobile: String?, idNumber: String? = nil, village: String? = nil, employer: String? = nil,
                            source: Prospect.Source, referrerID: String? = nil, outreachID: String? = nil, interest: String? = nil,
                            owner: String, by actor: String) throws(StoreError) -> Prospect {
        let clean = { (s: String?) -> String? in
            let t = s?.trimmingCharacters(in: .whitespacesAndNewlines)
            return t?.isEmpty == false ? t : nil
        }
        guard let name = clean(name), name.count <= 50 else { throw StoreError.invalid(field: "name", reason: "1 to 50 characters") }
        var digits: String?
        if let m = clean(mobile) {
            do { digits = try MobileNumber.parse(m).digits } catch { throw StoreError.invalid(field: "mobile", reason: error.description) }
        }
        var id: String?
        if let i = clean(idNumber) {
            do { id = try ResidentID.parse(i).number } catch {
                throw StoreError.invalid(field: "id", reason: error.description)
            }
        }
        guard digits != nil || id != nil else { throw StoreError.invalid(field: "mobile", reason: "a mobile or an ID number, to recognise them later") }
        if source == .referral, clean(referrerID) == nil { throw StoreError.invalid(field: "referrer", reason: "a referral names the customer who referred") }
        let now = clock()
        return try write { db in
            if let r = clean(referrerID) { try requireCustomer(db, r) }
            if let o = clean(outreachID),
               try Bool.fetchOne(db, sql: "SELECT 1 FROM outreach_logs WHERE outreach_id = ?", arguments: [o]) != true {
                throw StoreError.invalid(field: "outreach", reason: "no outreach day \(o)")
            }
            if let c = try Self.customerWith(db, idNumber: id, mobile: digits)?.customerID {
                throw StoreError.invalid(field: digits != nil ? "mobile" : "id", reason: "already a customer: \(c)")
            }
            try Self.requireStaff(db, owner, field: "owner")
            // By the masked form (indexed), then exactly (opened).
            let mobile = Self.sealedField("prospects", "mobile"), idNumber = Self.sealedField("prospects", "id_number")
            if let p = try String.fetchOne(db, sql: """
                SELECT prospect_id FROM prospects p WHERE stage NOT IN ('opened', 'lost')
                  AND ((?1 IS NOT NULL AND mobile IN (?1, furrow_mask('mobile', ?1, NULL)) AND \(mobile.clearSQL(alias: "p")) = ?1)
                    OR (?2 IS NOT NULL AND id_number IN (?2, furrow_mask('id_number', ?2, 'resident_id')) AND \(idNumber.clearSQL(alias: "p")) = ?2))
                LIMIT 1
                """, arguments: [digits, id]) {
                throw StoreError.invalid(field: digits != nil ? "mobile" : "id", reason: "already a prospect: \(p)")
            }
            let p = Prospect(prospectID: Self.newID("PR"), name: name, mobile: digits, idNumber: id,
                             village: clean(village), employer: clean(employer), source: source, referrerID: clean(referrerID),
                             interest: clean(interest), ownerID: owner, createdAt: Timestamp.utcNow(now))
            try Journal.write(db, now: now, actor: actor, kind: .prospectAdd, customerID: nil, detail: "\(p.prospectID) \(source.rawValue)",
                                recordID: p.prospectID, fields: ProspectEffects.addFields(p, outreachID: clean(outreachID)))
            return p
        }
    }

    /// What the RM does next and by when (nil clears it); it shows on the Prospects screen, due
    /// first, and `furrow prospect list --due`.
    public func setProspectNextStep(_ id: String, step: String?, due: CalendarDate?, by actor: String) throws(StoreError) {
        let now = clock()
        try write { db in try Self.setNextStep(db, id, step: step, due: due, actor: actor, now: now) }
    }

    static func setNextStep(_ db: Database, _ id: String, step: String?, due: CalendarDate?, actor: String, now: Date) throws {
        let step = step?.trimmingCharacters(in: .whitespacesAndNewlines)
        if step?.isEmpty == false, due == nil { throw StoreError.invalid(field: "due", reason: "a next step has a day") }
        guard let current = try ProspectEffects.stage(db, id) else { throw StoreError.notFound(what: "prospect \(id)") }
        guard !current.isClosed else { throw StoreError.invalid(field: "stage", reason: "\(id) is \(current.rawValue): it has no next step") }
        let (s, d) = step?.isEmpty == false ? (step, due?.iso) : (nil, nil)
        try Journal.write(db, now: now, actor: actor, kind: .prospectNext, customerID: nil, detail: "\(id) \(d ?? "")",
                            recordID: id, fields: ["step": s, "due": d])
    }

    /// Open prospects whose next step is due by `day`, earliest first.
    public func prospectsDue(owner: String?, by day: CalendarDate) throws(StoreError) -> [Prospect] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM prospects WHERE next_step_due <= ? AND stage NOT IN ('opened', 'lost') AND (? IS NULL OR owner_id = ?)
                ORDER BY next_step_due, prospect_id
                """, arguments: [day.iso, owner, owner]).map(Self.prospect)
        }
    }

    /// The next stage (forward, or lost with the reason).
    /// `next`: the next step and its day, set in the same transaction (ignored for opened and lost,
    /// which clear it).
    public func advanceProspect(_ id: String, to stage: Prospect.Stage, note: String?, next: (step: String?, due: CalendarDate?)? = nil,
                                by actor: String) throws(StoreError) {
        let now = clock()
        try write { db in
            guard let current = try String.fetchOne(db, sql: "SELECT stage FROM prospects WHERE prospect_id = ?", arguments: [id])
                .flatMap(Prospect.Stage.init(rawValue:)) else { throw StoreError.notFound(what: "prospect \(id)") }
            guard current.next.contains(stage) else {
                let allowed = current.next.map(\.rawValue).joined(separator: ", ")
                throw StoreError.invalid(field: "stage", reason: "from \(current.rawValue): \(allowed.isEmpty ? "nothing further" : allowed)")
            }
            let note = note?.trimmingCharacters(in: .whitespacesAndNewlines)
            if stage == .lost, note?.isEmpty != false { throw StoreError.invalid(field: "reason", reason: "say why they were lost") }
            let at = Timestamp.utcNow(now)
            try Journal.write(db, now: now, actor: actor, kind: .prospectStage, customerID: nil,
                                detail: "\(id) \(current.rawValue) → \(stage.rawValue)", recordID: id,
                                fields: ["from": current.rawValue, "to": stage.rawValue, "note": note?.isEmpty == false ? note : nil, "at": at])
            if let next, ![.opened, .lost].contains(stage) {
                try Self.setNextStep(db, id, step: next.step, due: next.due, actor: actor, now: now)
            }
        }
    }

    public func prospects(owner: String? = nil, stage: Prospect.Stage? = nil) throws(StoreError) -> [Prospect] {
        try read { db in
            var sql = "SELECT * FROM prospects WHERE 1"
            var args: [DatabaseValueConvertible] = []
            if let owner { sql += " AND owner_id = ?"; args.append(owner) }
            if let stage { sql += " AND stage = ?"; args.append(stage.rawValue) }
            return try Row.fetchAll(db, sql: sql + " ORDER BY created_at DESC, prospect_id", arguments: StatementArguments(args)).map(Self.prospect)
        }
    }

    public struct ProspectDetail: Sendable {
        public var prospect: Prospect
        public var history: [(at: String, actor: String, from: String?, to: String, note: String?)]
        /// Customers who may be the same person, waiting for the RM to say.
        public var possibleMatches: [(customerID: String, name: String, why: String)]
    }

    public func prospect(_ id: String) throws(StoreError) -> ProspectDetail? {
        try read { db in
            guard let p = try Row.fetchOne(db, sql: "SELECT * FROM prospects WHERE prospect_id = ?", arguments: [id]).map(Self.prospect) else { return nil }
            let history = try Row.fetchAll(db, sql: "SELECT at, actor, from_stage, to_stage, note FROM prospect_history WHERE prospect_id = ? ORDER BY at, rowid",
                                           arguments: [id]).map { (at: $0[0] as String, actor: $0[1] as String, from: $0[2] as String?, to: $0[3] as String, note: $0[4] as String?) }
            let matches = try Row.fetchAll(db, sql: """
                SELECT m.customer_id, c.name, m.why FROM prospect_matches m JOIN customers c ON c.customer_id = m.customer_id
                WHERE m.prospect_id = ? AND m.decided IS NULL ORDER BY m.customer_id
                """, arguments: [id]).map { (customerID: $0[0] as String, name: $0[1] as String, why: $0[2] as String) }
            return ProspectDetail(prospect: p, history: history, possibleMatches: matches)
        }
    }

    /// Every undecided possible match, by prospect (one read for a list of prospects).
    public func possibleProspectMatches() throws(StoreError) -> [String: [(customerID: String, name: String, why: String)]] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT m.prospect_id, m.customer_id, c.name, m.why FROM prospect_matches m JOIN customers c ON c.customer_id = m.customer_id
                WHERE m.decided IS NULL ORDER BY m.prospect_id, m.customer_id
                """).reduce(into: [:]) { out, r in out[r[0] as String, default: []].append((r[1] as String, r[2] as String, r[3] as String)) }
        }
    }

    static func prospect(_ r: Row) -> Prospect {
        Prospect(prospectID: r["prospect_id"], name: r["name"], mobile: r["mobile"], idNumber: r["id_number"], village: r["village"],
                 employer: r["employer"], source: Prospect.Source(rawValue: r["source"]) ?? .outreach, referrerID: r["referrer_id"],
                 interest: r["interest"], ownerID: r["owner_id"], stage: Prospect.Stage(rawValue: r["stage"]) ?? .new,
                 lostReason: r["lost_reason"], createdAt: r["created_at"], customerID: r["customer_id"], nextStep: r["next_step"],
                 nextStepDue: (r["next_step_due"] as String?).flatMap { CalendarDate(iso: $0) })
    }

    public struct ProspectMatchReport: Sendable, Codable {
        public var converted: Int
        public var possible: Int
    }

    /// After an import: open prospects whom the extracts now hold as customers — the same ID
    /// number or mobile — are converted and linked (their history kept); a customer with the
    /// same name and the same village or employer is only offered as a possible match.
    @discardableResult
    public func matchProspects(by actor: String) throws(StoreError) -> ProspectMatchReport {
        let now = clock(), unlocked = keyring.isUnlocked
        return try write { db in
            let at = Timestamp.utcNow(now)
            var report = ProspectMatchReport(converted: 0, possible: 0)
            // Not yet linked to a customer, whatever the stage (one moved to "opened" by hand too).
            // A locked store converts no one (an exact match needs the values opened); near matches still show.
            let columns = unlocked ? try Self.columnsInClear(db, table: "prospects", alias: "p") : "p.*"
            let open = try Row.fetchAll(db, sql: "SELECT \(columns) FROM prospects p WHERE stage != 'lost' AND customer_id IS NULL")
            for r in open {
                let p = Self.prospect(r)
                if let exact = try Self.customerWith(db, idNumber: p.idNumber, mobile: p.mobile) {
                    let (customer, byID) = exact
                    try ProspectEffects.convert(db, p, to: customer, note: byID ? "开户: 同一身份证 same ID number" : "开户: 同一手机 same mobile",
                                     actor: actor, at: at)
                    report.converted += 1
                    continue
                }
                let near = try Row.fetchAll(db, sql: """
                    SELECT customer_id, CASE WHEN village = ? THEN 'same name and village' ELSE 'same name and employer' END FROM customers
                    WHERE name = ? AND ((village = ? AND ? IS NOT NULL) OR (employer = ? AND ? IS NOT NULL))
                    """, arguments: [p.village, p.name, p.village, p.village, p.employer, p.employer])
                for n in near {
                    try db.execute(sql: "INSERT OR IGNORE INTO prospect_matches (prospect_id, customer_id, why, found_at) VALUES (?, ?, ?, ?)",
                                   arguments: [p.prospectID, n[0] as String, n[1] as String, at])
                    report.possible += db.changesCount
                }
            }
            try Audit.record(db, at: clock(), actor: actor, action: "prospect.match", customerID: nil, detail: "\(report.converted) converted, \(report.possible) possible")
            return report
        }
    }

    /// The RM says whether a possible match is the same person (then the prospect is converted).
    public func confirmProspectMatch(_ prospectID: String, customerID: String, same: Bool, by actor: String) throws(StoreError) {
        let now = clock()
        try write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM prospect_matches WHERE prospect_id = ? AND customer_id = ? AND decided IS NULL",
                                    arguments: [prospectID, customerID]) == true,
                  try Bool.fetchOne(db, sql: "SELECT 1 FROM prospects WHERE prospect_id = ?", arguments: [prospectID]) == true else {
                throw StoreError.notFound(what: "possible match \(prospectID) ~ \(customerID)")
            }
            let at = Timestamp.utcNow(now)
            try Journal.write(db, now: now, actor: actor, kind: .prospectConfirm, customerID: nil,
                                detail: "\(prospectID) ~ \(customerID) \(same ? "same" : "different")", recordID: prospectID,
                                fields: ["customer": customerID, "same": same ? "1" : "0", "at": at])
        }
    }

    /// The customer with this ID number (first) or mobile, through the search keys' indexes
    /// (the last 6 of the ID, the last 4 of the mobile): one lookup, not a scan of the branch.
    /// Exact: the sealed values are opened, so a locked store (a workstation whose PIN was not
    /// given) finds no one — never a merge on the masked digits alone.
    static func customerWith(_ db: Database, idNumber: String?, mobile: String?) throws -> (customerID: String, byID: Bool)? {
        if let id = idNumber?.uppercased(), id.count >= 6,
           let c = try String.fetchOne(db.cachedStatement(sql: """
               SELECT customer_id FROM customers c WHERE id_last6 = ? AND furrow_unlocked() AND upper(\(clearSQL("id_number", alias: "c"))) = ? LIMIT 1
               """), arguments: [String(id.suffix(6)), id]) {
            return (c, true)
        }
        if let m = mobile, m.count >= 4,
           let c = try String.fetchOne(db.cachedStatement(sql: """
               SELECT customer_id FROM customers c WHERE phone_last4 = ? AND furrow_unlocked() AND \(clearSQL("mobile", alias: "c")) = ? LIMIT 1
               """), arguments: [String(m.suffix(4)), m]) {
            return (c, false)
        }
        return nil
    }

    /// A prospect's or outreach day's id: short enough to type, long enough (48 random bits) that
    /// two workstations of a branch do not make the same one (and the branch refuses one that does).
    static func newID(_ prefix: String) -> String {
        prefix + "-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
    }

    /// Owners and outreach staff are people of the branch.
    static func requireStaff(_ db: Database, _ id: String, field: String) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM staff WHERE staff_id = ?", arguments: [id]) == true else {
            throw StoreError.invalid(field: field, reason: "\(id) is not on the branch's staff")
        }
    }

    /// An outreach day: where, when, who went, how many people they met.
    @discardableResult
    public func logOutreach(place: String, on day: CalendarDate, staff: [String], peopleMet: Int, note: String?, by actor: String) throws(StoreError) -> String {
        let place = place.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !place.isEmpty else { throw StoreError.invalid(field: "place", reason: "where it was (a village, a market, an employer)") }
        guard !staff.isEmpty else { throw StoreError.invalid(field: "staff", reason: "who went") }
        guard (0...100_000).contains(peopleMet) else { throw StoreError.invalid(field: "met", reason: "a number of people, 0 or more") }
        let id = Self.newID("OR")
        let now = clock()
        try write { db in
            for s in staff { try Self.requireStaff(db, s, field: "staff") }
            try Journal.write(db, now: now, actor: actor, kind: .outreachLog, customerID: nil, detail: "\(id) \(place) \(day.iso)",
                                recordID: id, fields: ["place": place, "on_day": day.iso, "staff": staff.joined(separator: ","),
                                                       "people_met": String(peopleMet), "note": note])
        }
        return id
    }

    public func outreachLogs() throws(StoreError) -> [(id: String, place: String, day: String, staff: String, met: Int, prospects: Int)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT o.outreach_id, o.place, o.on_day, o.staff, o.people_met, (SELECT count(*) FROM prospects p WHERE p.outreach_id = o.outreach_id)
                FROM outreach_logs o ORDER BY o.on_day DESC
                """).map { ($0[0], $0[1], $0[2], $0[3], $0[4], $0[5]) }
        }
    }

    /// Opens these prospects' mobiles and ID numbers for `actor` to see, and records who saw
    /// them in the same transaction: audited here and, as one op per prospect, at the branch.
    /// Throws when the store is locked (then nothing is recorded).
    public func revealProspects(_ ids: [String], by actor: String) throws(StoreError) -> [String: (mobile: String?, idNumber: String?)] {
        guard !ids.isEmpty else { return [:] }
        guard keyring.isUnlocked else { throw StoreError.invalid(field: "key", reason: StoreKeyring.Locked().description) }
        let now = clock()
        return try write { db in
            let mobile = Self.sealedField("prospects", "mobile"), idNumber = Self.sealedField("prospects", "id_number")
            var opened: [String: (mobile: String?, idNumber: String?)] = [:]
            let statement = try db.makeStatement(sql: """
                SELECT \(mobile.clearSQL(alias: "p")), \(idNumber.clearSQL(alias: "p")) FROM prospects p WHERE prospect_id = ?
                """)
            for id in ids {
                guard let r = try Row.fetchOne(statement, arguments: [id]) else { throw StoreError.notFound(what: "prospect \(id)") }
                opened[id] = (r[0], r[1])
                try Journal.write(db, now: now, actor: actor, kind: .prospectReveal, customerID: nil, detail: "prospect \(id)",
                                    recordID: id, fields: ["context": "prospects"])
            }
            return opened
        }
    }
}
