import FurrowCore
import GRDB

/// What an extract import writes, one row at a time, inside the single transaction that
/// `AppDatabase.importExtract` opens. Rows are upserted by their extract key; an update that
/// changes nothing writes nothing, so re-importing a directory leaves the store as it was.
/// Each key may be written at most once per session (the importer refuses duplicates in a
/// file); into a table that was empty a second write of a key throws `duplicateKey`.
/// The session also remembers which customers need their derived columns (AUM and tier,
/// current RM, last contact) refreshed when the import finishes.
public final class ImportSession {
    let db: Database
    let asOf: CalendarDate
    private var statements: [String: RawStatement] = [:]
    private var aumTouched = Set<String>()
    private var rmTouched = Set<String>()
    private var contactTouched = Set<String>()
    /// The date the current RM is computed for (see `refreshDerived`).
    private var rmDate = ""
    public private(set) var rowsWritten = 0

    let thresholds: TierThresholds
    /// Seals each customer's ID number, mobile and address (the plain columns get the masked forms).
    let sealer: FieldSealer.Keys

    init(db: Database, asOf: CalendarDate, thresholds: TierThresholds, sealer: FieldSealer) {
        self.db = db
        self.asOf = asOf
        self.thresholds = thresholds
        self.sealer = sealer.keys()
    }

    /// Whether rows of `table` go in with a plain INSERT (the table was empty when the import
    /// began). Then a key that appears twice in a file is caught by SQLite's own constraint.
    public func isFirstLoad(_ table: String) throws -> Bool { try wasEmpty(table) }



    private func statement(_ key: String, _ sql: @autoclosure () -> String) throws -> RawStatement {
        if let s = statements[key] { return s }
        let s = try RawStatement(db, sql())
        statements[key] = s
        return s
    }

    /// `INSERT … ON CONFLICT(key) DO UPDATE SET … WHERE anything changed`.
    static func upsertSQL(table: String, columns: [String], key: [String], extraInsert: [String: String] = [:],
                         returning: String? = nil, updating: [String]? = nil) -> String {
        let nonKey = (updating ?? columns).filter { !key.contains($0) }
        let insertCols = columns + extraInsert.keys.sorted()
        let values = columns.map { _ in "?" } + extraInsert.keys.sorted().map { extraInsert[$0]! }
        var sql = "INSERT INTO \(table) (\(insertCols.joined(separator: ", "))) VALUES (\(values.joined(separator: ", ")))"
        sql += " ON CONFLICT(\(key.joined(separator: ", "))) DO "
        if nonKey.isEmpty {
            sql += "NOTHING"
        } else {
            sql += "UPDATE SET " + nonKey.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
            sql += " WHERE (" + nonKey.joined(separator: ", ") + ") IS NOT ("
                + nonKey.map { "excluded.\($0)" }.joined(separator: ", ") + ")"
        }
        if let returning { sql += " RETURNING \(returning)" }
        return sql
    }

    /// Tables that held no row when the import began. Into those a plain INSERT is enough —
    /// the importer has already refused duplicate keys — and it avoids the upsert's
    /// statement journal, which is most of the cost of a first load.
    private var emptyAtStart: [String: Bool] = [:]

    private func wasEmpty(_ table: String) throws -> Bool {
        if let e = emptyAtStart[table] { return e }
        let e = try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM \(table))") ?? false
        emptyAtStart[table] = e
        return e
    }

    /// The extract columns each file of this import has, by table. An update sets only the
    /// columns the file carries: a later extract with fewer columns leaves the others as they were.
    private var presentColumns: [String: Set<String>] = [:]

    public func setPresentColumns(_ columns: Set<String>, for table: String) {
        presentColumns[table] = columns
    }

    /// The extract column a stored column comes from.
    static func sourceColumn(_ column: String) -> String {
        switch column {
        case "pinyin", "pinyin_alt", "initials", "initials_alt": "name"
        case "phone_last4": "mobile"
        case "id_last4", "id_last6", "id_sealed": "id_number"
        case "mobile_sealed": "mobile"
        case "contact_mobile_sealed": "contact_mobile"
        case "address_sealed": "address"
        default: column.hasSuffix("_fen") ? String(column.dropLast(4)) : column
        }
    }

    /// The statement that writes one row of `table`: a plain INSERT into a table that was empty,
    /// an upsert otherwise.
    /// How one kind of row is written; static, so a row costs no array of column names.
    struct UpsertSpec {
        var slot: Int
        var table: String
        var columns: [String]
        var key: [String]
        var extraInsert: [String: String] = [:]
        var returning: String? = nil
    }

    static let customerSpec = UpsertSpec(slot: 0, table: "customers", columns: ImportSession.customerColumns, key: ["customer_id"], extraInsert: ["aum_fen": "0", "tier": "'mass'"], returning: "id")
    static let relationSpec = UpsertSpec(slot: 1, table: "relations", columns: ["customer_id", "related_id", "relation"], key: ["customer_id", "related_id", "relation"])
    static let productSpec = UpsertSpec(slot: 2, table: "products", columns: ["product_code", "name", "type", "risk_level", "term_days"], key: ["product_code"])
    static let accountSpec = UpsertSpec(slot: 3, table: "accounts", columns: ["account_id", "customer_id", "product_code", "opened_on", "maturity_date", "balance_fen", "status", "rate"], key: ["account_id"])
    static let monthlySpec = UpsertSpec(slot: 4, table: "monthly_balances", columns: ["customer_id", "month", "aum_avg_fen", "aum_end_fen"], key: ["customer_id", "month"])
    static let txnSpec = UpsertSpec(slot: 5, table: "transactions", columns: ["txn_id", "account_id", "posted_at", "amount_fen", "kind", "channel", "counterparty_name", "counterparty_bank", "payroll_unit_id", "memo"], key: ["txn_id"])
    static let loanSpec = UpsertSpec(slot: 6, table: "loan_schedule", columns: ["account_id", "due_date", "principal_fen", "interest_fen"], key: ["account_id", "due_date"])
    static let staffSpec = UpsertSpec(slot: 7, table: "staff", columns: ["staff_id", "name", "role", "team", "active"], key: ["staff_id"])
    static let assignmentSpec = UpsertSpec(slot: 8, table: "assignments", columns: ["customer_id", "staff_id", "since"], key: ["customer_id", "since"])
    static let unitSpec = UpsertSpec(slot: 9, table: "payroll_units", columns: ["unit_id", "name", "uscc", "payroll_day", "contact_name", "contact_mobile", "contact_mobile_sealed"], key: ["unit_id"])
    static let surveySpec = UpsertSpec(slot: 10, table: "surveys", columns: ["response_id", "customer_id", "answered_on", "attitude", "online", "efficiency", "skill", "recommend"], key: ["response_id"])
    static let complaintSpec = UpsertSpec(slot: 11, table: "complaints", columns: ["complaint_id", "customer_id", "received_at", "channel", "category", "severity", "description"], key: ["complaint_id"], extraInsert: ["status": "'received'"])
    static let interactionSpec = UpsertSpec(slot: 12, table: "interactions", columns: ["interaction_id", "customer_id", "staff_id", "at", "channel", "purpose", "notes", "outcome"], key: ["interaction_id"], extraInsert: ["source": "'extract'"])

    private var slots = [RawStatement?](repeating: nil, count: 13)

    private func upsertStatement(_ spec: UpsertSpec) throws -> RawStatement {
        if let s = slots[spec.slot] { return s }
        let (table, columns, key, extraInsert, returning) = (spec.table, spec.columns, spec.key, spec.extraInsert, spec.returning)
        let sql: String
        if try wasEmpty(table) {
            let extras = extraInsert.keys.sorted()
            sql = "INSERT INTO \(table) (\((columns + extras).joined(separator: ", "))) VALUES ("
                + (columns.map { _ in "?" } + extras.map { extraInsert[$0]! }).joined(separator: ", ") + ")"
        } else {
            let present = presentColumns[table]
            let updatable = present.map { p in columns.filter { key.contains($0) || p.contains(Self.sourceColumn($0)) } } ?? columns
            sql = Self.upsertSQL(table: table, columns: columns, key: key, extraInsert: extraInsert, returning: returning,
                                 updating: updatable)
        }
        let s = try RawStatement(db, sql)
        slots[spec.slot] = s
        return s
    }

    // MARK: - Keys already in the store, for reference checks

    public func existingKeys(_ table: ExtractTable) throws -> Set<String> {
        var keys = Set<String>()
        let column: String
        switch table {
        case .customers: column = "customer_id"
        case .accounts: column = "account_id"
        case .products: column = "product_code"
        case .staff: column = "staff_id"
        case .payrollUnits: column = "unit_id"
        }
        let rows = try String.fetchCursor(db, sql: "SELECT \(column) FROM \(table.rawValue)")
        while let k = try rows.next() { keys.insert(k) }
        return keys
    }

    public enum ExtractTable: String, Sendable {
        case customers, accounts, products, staff
        case payrollUnits = "payroll_units"
    }

    // MARK: - Upserts

    /// A customer's derived columns, when the importer already knows them from the extract
    /// (a first load): the customer is then inserted complete instead of updated afterwards.
    public struct KnownDerived: Sendable {
        public var aum: Money
        public var aumMonth: String?
        public var rmID: String?
        public var lastContactAt: String?
        public init(aum: Money, aumMonth: String?, rmID: String?, lastContactAt: String?) {
            self.aum = aum; self.aumMonth = aumMonth; self.rmID = rmID; self.lastContactAt = lastContactAt
        }
    }

    private var derivedAtInsert = Set<String>()

    /// Forget what was derived at insert: a row that fed it was rejected (--skip-invalid), so
    /// the derived columns are computed again from what was stored.
    public func rederiveAll() {
        derivedAtInsert.removeAll()
        allCustomersDerivedAtInsert = false
        rederiveEverything = true
    }

    /// Every customer of this import is a first insert carrying its derived columns (the
    /// importer read them ahead), so the rows that feed them need no bookkeeping.
    public func customersCarryDerivedColumns() { allCustomersDerivedAtInsert = true }
    private var allCustomersDerivedAtInsert = false
    private var rederiveEverything = false

    /// The date whose assignments are in force: the newest extract date seen so far.
    public private(set) var assignmentDate = ""

    static let customerColumns = [
        "customer_id", "name", "kind", "gender", "birth_date", "id_type", "id_number", "mobile",
        "address", "village", "occupation", "employer", "industry_quality", "risk_level",
        "risk_assessed_on", "acquisition_channel", "referrer_id", "opened_on", "flags",
        "pinyin", "pinyin_alt", "initials", "initials_alt", "phone_last4", "id_last4", "id_last6",
        "id_sealed", "mobile_sealed", "address_sealed",
    ]

    public func upsert(_ c: Customer, derived: KnownDerived? = nil) throws {
        let fresh = try wasEmpty("customers")
        let s: RawStatement
        if fresh, let derived {
            let cols = Self.customerColumns + ["aum_fen", "aum_month", "tier", "rm_id", "last_contact_at"]
            s = try statement("customer-derived", "INSERT INTO customers (\(cols.joined(separator: ", "))) VALUES ("
                              + cols.map { _ in "?" }.joined(separator: ", ") + ")")
            s.bind(30, derived.aum.fen)
            s.bind(31, derived.aumMonth)
            s.bind(32, thresholds.tier(forAUM: derived.aum).rawValue)
            s.bind(33, derived.rmID)
            s.bind(34, derived.lastContactAt)
            derivedAtInsert.insert(c.customerID)
        } else {
            s = try upsertStatement(Self.customerSpec)
        }
        let keys = SearchKeys(name: c.name, mobile: c.mobile, idNumber: c.idNumber, isPerson: c.kind != .microEnterprise)
        s.bind(1, c.customerID)
        s.bind(2, c.name)
        s.bind(3, c.kind.rawValue)
        s.bind(4, c.gender?.rawValue)
        s.bind(5, c.birthDate?.iso)
        s.bind(6, c.idType?.rawValue)
        // At rest: the masked forms in clear, the values sealed (bound 27–29).
        let atRest = try sealer.seal(c)
        s.bind(7, atRest.maskedIDNumber)
        s.bind(8, atRest.maskedMobile)
        s.bind(9, atRest.maskedAddress)
        s.bind(10, c.village)
        s.bind(11, c.occupation)
        s.bind(12, c.employer)
        s.bind(13, c.industryQuality?.rawValue)
        s.bind(14, c.riskLevel?.rawValue)
        s.bind(15, c.riskAssessedOn?.iso)
        s.bind(16, c.acquisitionChannel?.rawValue)
        s.bind(17, c.referrerID)
        s.bind(18, c.openedOn?.iso)
        s.bind(19, c.flags.isEmpty ? nil : c.flags.joined(separator: ";"))
        s.bind(20, keys.pinyin)
        s.bind(21, keys.pinyinAlt)
        s.bind(22, keys.initials)
        s.bind(23, keys.initialsAlt)
        s.bind(24, keys.phoneLast4)
        s.bind(25, keys.idLast4)
        s.bind(26, keys.idLast6)
        s.bind(27, atRest.idNumber)
        s.bind(28, atRest.mobile)
        s.bind(29, atRest.address)
        let returned = try s.run()
        guard let rowid = fresh ? s.lastInsertRowID : returned else { return }   // unchanged
        rowsWritten += 1
        if !fresh {
            let del = try statement("fts-del", "DELETE FROM customer_name_chars WHERE rowid = ?")
            del.bind(1, rowid)
            try del.run()
        }
        let ins = try statement("fts-ins", "INSERT INTO customer_name_chars (rowid, chars) VALUES (?, ?)")
        ins.bind(1, rowid)
        ins.bind(2, keys.chars)
        try ins.run()
    }

    public func upsert(_ r: Relation) throws {
        let s = try upsertStatement(Self.relationSpec)
        s.bind(1, r.customerID); s.bind(2, r.relatedID); s.bind(3, r.relation.rawValue)
        try s.run()
        rowsWritten += s.changes
    }

    public func upsert(_ p: Product) throws {
        let s = try upsertStatement(Self.productSpec)
        s.bind(1, p.productCode); s.bind(2, p.name); s.bind(3, p.type.rawValue)
        s.bind(4, p.riskLevel?.rawValue); s.bind(5, p.termDays)
        try s.run()
        rowsWritten += s.changes
    }

    public func upsert(_ a: Account) throws {
        let s = try upsertStatement(Self.accountSpec)
        s.bind(1, a.accountID); s.bind(2, a.customerID); s.bind(3, a.productCode)
        s.bind(4, a.openedOn?.iso); s.bind(5, a.maturityDate?.iso); s.bind(6, a.balance.fen)
        s.bind(7, a.status.rawValue); s.bind(8, a.rate)
        try s.run()
        rowsWritten += s.changes
    }

    public func upsert(_ m: MonthlyBalance) throws {
        let s = try upsertStatement(Self.monthlySpec)
        s.bind(1, m.customerID); s.bind(2, m.month); s.bind(3, m.aumAverage.fen); s.bind(4, m.aumEnd.fen)
        try s.run()
        if !allCustomersDerivedAtInsert { aumTouched.insert(m.customerID) }

        rowsWritten += s.changes
    }

    public func upsert(_ t: Transaction) throws {
        let s = try upsertStatement(Self.txnSpec)
        s.bind(1, t.txnID); s.bind(2, t.accountID); s.bind(3, t.postedAt); s.bind(4, t.amount.fen)
        s.bind(5, t.kind.rawValue); s.bind(6, t.channel?.rawValue); s.bind(7, t.counterpartyName)
        s.bind(8, t.counterpartyBank); s.bind(9, t.payrollUnitID); s.bind(10, t.memo)
        try s.run()
        rowsWritten += s.changes
    }

    public func upsert(_ l: LoanInstalment) throws {
        let s = try upsertStatement(Self.loanSpec)
        s.bind(1, l.accountID); s.bind(2, l.dueDate.iso); s.bind(3, l.principal.fen); s.bind(4, l.interest.fen)
        try s.run()
        rowsWritten += s.changes
    }

    public func upsert(_ st: Staff) throws {
        let s = try upsertStatement(Self.staffSpec)
        s.bind(1, st.staffID); s.bind(2, st.name); s.bind(3, st.role.rawValue); s.bind(4, st.team)
        s.bind(5, Int64(st.active ? 1 : 0))
        try s.run()
        rowsWritten += s.changes
    }

    public func upsert(_ a: Assignment) throws {
        let s = try upsertStatement(Self.assignmentSpec)
        s.bind(1, a.customerID); s.bind(2, a.staffID); s.bind(3, a.since.iso)
        try s.run()
        if !allCustomersDerivedAtInsert { rmTouched.insert(a.customerID) }

        rowsWritten += s.changes
    }

    public func upsert(_ u: PayrollUnit) throws {
        let s = try upsertStatement(Self.unitSpec)
        s.bind(1, u.unitID); s.bind(2, u.name); s.bind(3, u.uscc); s.bind(4, u.payrollDay)
        // The contact's mobile sealed at rest, its masked form in clear (SealedFields).
        s.bind(5, u.contactName); s.bind(6, u.contactMobile.map(Masking.mobile))
        s.bind(7, try u.contactMobile.map { try sealer.seal($0, record: u.unitID, column: "contact_mobile") })
        try s.run()
        rowsWritten += s.changes
    }

    public func upsert(_ r: SurveyResponse) throws {
        let s = try upsertStatement(Self.surveySpec)
        s.bind(1, r.responseID); s.bind(2, r.customerID); s.bind(3, r.answeredOn.iso)
        s.bind(4, r.attitude); s.bind(5, r.online); s.bind(6, r.efficiency); s.bind(7, r.skill)
        s.bind(8, r.recommend)
        try s.run()
        rowsWritten += s.changes
    }

    public func upsert(_ c: Complaint) throws {
        // status is Furrow's (the complaint loop), so a re-import never resets it.
        let s = try upsertStatement(Self.complaintSpec)
        s.bind(1, c.complaintID); s.bind(2, c.customerID); s.bind(3, c.receivedAt)
        s.bind(4, c.channel.rawValue); s.bind(5, c.category); s.bind(6, c.severity.rawValue)
        s.bind(7, c.description)
        try s.run()
        rowsWritten += s.changes
    }

    public func upsert(_ i: Interaction) throws {
        let s = try upsertStatement(Self.interactionSpec)
        s.bind(1, i.interactionID); s.bind(2, i.customerID); s.bind(3, i.staffID); s.bind(4, i.at)
        s.bind(5, i.channel.rawValue); s.bind(6, i.purpose); s.bind(7, i.notes); s.bind(8, i.outcome)
        try s.run()
        if !allCustomersDerivedAtInsert { contactTouched.insert(i.customerID) }

        rowsWritten += s.changes
    }

    // MARK: - Bulk load

    private var droppedIndexes: [String] = []

    /// Tables of the extract; a first load into an empty one drops its secondary indexes and
    /// builds them once at the end, which is several times faster than maintaining them row
    /// by row. DDL is transactional in SQLite, so a rollback restores them.
    public static let extractTables = [
        "staff", "products", "payroll_units", "customers", "relations", "accounts", "monthly_balances",
        "transactions", "loan_schedule", "assignments", "surveys", "complaints", "interactions",
    ]

    func beginBulkLoad() throws {
        let previous = try String.fetchOne(db, sql: "SELECT max(as_of) FROM import_runs")
        assignmentDate = max(asOf.iso, previous ?? "")
        for table in Self.extractTables where try wasEmpty(table) {
            let indexes = try Row.fetchAll(db, sql: """
                SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL
                  AND sql NOT LIKE 'CREATE UNIQUE%'
                """, arguments: [table])
            for index in indexes {
                let name: String = index["name"]
                try db.execute(sql: "DROP INDEX \(name)")
                droppedIndexes.append(index["sql"])
            }
        }
    }

    /// Builds the dropped indexes again: the child tables' first (the derived columns are
    /// computed through them), the customers' after.
    func finishBulkLoad(customers: Bool) throws {
        let mine = droppedIndexes.filter { customers == $0.contains(" ON customers(") }
        for sql in mine { try db.execute(sql: sql) }
        droppedIndexes.removeAll { mine.contains($0) }
    }

    // MARK: - Derived columns

    /// Recomputes AUM and tier, the current RM and the last contact of the customers this
    /// import touched: one statement over the whole table when most customers were touched,
    /// one per customer otherwise.
    func refreshDerived() throws {
        // Assignments take effect on their date: the RM is the one in force on the newest
        // extract date seen so far (never moving back for an older extract), and customers
        // whose future-dated reassignment came into force since the last import move now.
        let previous = try String.fetchOne(db, sql: "SELECT max(as_of) FROM import_runs")
        let effective = assignmentDate
        if let previous, previous < effective {
            let due = try String.fetchCursor(db, sql: """
                SELECT DISTINCT customer_id FROM assignments WHERE since > ? AND since <= ?
                """, arguments: [previous, effective])
            while let id = try due.next() { rmTouched.insert(id) }
        }
        rmDate = effective
        aumTouched.subtract(derivedAtInsert)
        rmTouched.subtract(derivedAtInsert)
        contactTouched.subtract(derivedAtInsert)
        if aumTouched.isEmpty && rmTouched.isEmpty && contactTouched.isEmpty && !rederiveEverything { return }
        let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM customers") ?? 0
        let wide = rederiveEverything || max(aumTouched.count, rmTouched.count, contactTouched.count) * 4 > total
        if wide {
            // One pass, each customer rewritten once; the child indexes exist again by now.
            try db.execute(sql: """
                UPDATE customers SET
                    (aum_fen, aum_month) = (SELECT ifnull(m.aum_avg_fen, 0), m.month FROM (SELECT 1)
                        LEFT JOIN (SELECT aum_avg_fen, month FROM monthly_balances
                                   WHERE customer_id = customers.customer_id ORDER BY month DESC LIMIT 1) AS m),
                    tier = (SELECT CASE WHEN v >= ?2 THEN 'private' WHEN v >= ?3 THEN 'affluent'
                                        WHEN v >= ?4 THEN 'wealth' ELSE 'mass' END
                            FROM (SELECT ifnull((SELECT aum_avg_fen FROM monthly_balances
                                   WHERE customer_id = customers.customer_id ORDER BY month DESC LIMIT 1), 0) AS v)),
                    rm_id = (SELECT staff_id FROM assignments
                             WHERE customer_id = customers.customer_id AND since <= ?1 ORDER BY since DESC LIMIT 1),
                    last_contact_at = (SELECT max(at) FROM interactions WHERE customer_id = customers.customer_id)
                """, arguments: [rmDate, thresholds.privateBanking.fen, thresholds.affluent.fen, thresholds.wealth.fen])
            return
        }
        let aum = try statement("d-aum", """
            UPDATE customers SET (aum_fen, aum_month) =
                (SELECT aum_avg_fen, month FROM monthly_balances m
                 WHERE m.customer_id = customers.customer_id ORDER BY month DESC LIMIT 1)
            WHERE customer_id = ?1
            """)
        for id in aumTouched { aum.bind(1, id); try aum.run() }
        let tier = try statement("d-tier", """
            UPDATE customers SET tier = CASE
                WHEN aum_fen >= ?2 THEN 'private' WHEN aum_fen >= ?3 THEN 'affluent'
                WHEN aum_fen >= ?4 THEN 'wealth' ELSE 'mass' END
            WHERE customer_id = ?1
            """)
        for id in aumTouched {
            tier.bind(1, id)
            tier.bind(2, thresholds.privateBanking.fen)
            tier.bind(3, thresholds.affluent.fen)
            tier.bind(4, thresholds.wealth.fen)
            try tier.run()
        }
        let rm = try statement("d-rm", """
            UPDATE customers SET rm_id =
                (SELECT staff_id FROM assignments a WHERE a.customer_id = customers.customer_id
                 AND a.since <= ?2 ORDER BY since DESC LIMIT 1)
            WHERE customer_id = ?1
            """)
        for id in rmTouched { rm.bind(1, id); rm.bind(2, rmDate); try rm.run() }
        let contact = try statement("d-contact", """
            UPDATE customers SET last_contact_at =
                (SELECT max(at) FROM interactions i WHERE i.customer_id = customers.customer_id)
            WHERE customer_id = ?1
            """)
        for id in contactTouched { contact.bind(1, id); try contact.run() }
    }
}
