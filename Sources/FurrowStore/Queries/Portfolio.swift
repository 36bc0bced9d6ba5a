import FurrowCore
import GRDB

/// Whose customers a list shows.
public enum PortfolioScope: Hashable, Sendable {
    case rm(String)
    case team(String)
    case branch
}

public enum PortfolioSort: String, Sendable, CaseIterable, Codable {
    /// Largest AUM first.
    case aum
    /// By pinyin, so 安 comes before 张 as a Chinese reader expects.
    case name
    /// Longest without contact first (never contacted at the top).
    case lastContact = "last-contact"
}

public struct PortfolioFilter: Hashable, Sendable {
    public var tiers: Set<Tier> = []
    public var kinds: Set<CustomerKind> = []
    public var industryQuality: IndustryQuality?
    /// Segment age attribute: true = 45 or older on `asOf`, false = younger.
    public var older: Bool?
    public var village: String?
    public var tag: String?
    public var hasOpenTask: Bool?
    /// Activity: only customers not contacted for at least this many days (or never).
    public var staleDays: Int?
    /// From the nightly classification: `active`, `dormant` or `churn-warning`.
    public var activity: String?
    /// Segment A–H (nightly classification).
    public var segment: String?
    public init(tiers: Set<Tier> = [], kinds: Set<CustomerKind> = [], industryQuality: IndustryQuality? = nil,
                older: Bool? = nil, village: String? = nil, tag: String? = nil, hasOpenTask: Bool? = nil,
                staleDays: Int? = nil, activity: String? = nil, segment: String? = nil) {
        self.tiers = tiers; self.kinds = kinds; self.industryQuality = industryQuality; self.older = older
        self.village = village; self.tag = tag; self.hasOpenTask = hasOpenTask; self.staleDays = staleDays
        self.activity = activity; self.segment = segment
    }
}

/// Where the next page starts: the sort value and row id of the last row shown. Keyset paging
/// makes page 100 as fast as page 1.
public struct PortfolioCursor: Hashable, Sendable, Codable {
    public var aum: Int64?
    public var text: String?
    public var rowID: Int64
}

public struct PortfolioPage: Sendable {
    public var rows: [CustomerSummary]
    /// nil on the last page.
    public var next: PortfolioCursor?
}

extension AppDatabase {
    public func portfolio(scope: PortfolioScope, filter: PortfolioFilter = PortfolioFilter(),
                          sort: PortfolioSort = .aum, after cursor: PortfolioCursor? = nil,
                          limit: Int = 50, asOf asOfGiven: CalendarDate? = nil) throws(StoreError) -> PortfolioPage {
        let asOf = asOfGiven ?? CalendarDate.today(now: clock())
        var clauses: [String] = []
        var args: [(any DatabaseValueConvertible)?] = []
        switch scope {
        case .rm(let id): clauses.append("c.rm_id = ?"); args.append(id)
        case .team(let team):
            clauses.append("c.rm_id IN (SELECT staff_id FROM staff WHERE team = ?)"); args.append(team)
        case .branch: break
        }
        if !filter.tiers.isEmpty {
            clauses.append("c.tier IN (\(filter.tiers.map { _ in "?" }.joined(separator: ",")))")
            args += filter.tiers.sorted { $0.rawValue < $1.rawValue }.map(\.rawValue)
            // The tier is derived from AUM, so the AUM range of the chosen tiers lets the
            // (rm, aum) index stop where the tiers end instead of reading the whole portfolio.
            let bounds = filter.tiers.map { tierThresholds.aumRange(of: $0) }
            clauses.append("c.aum_fen >= ?"); args.append(bounds.map(\.lowerBound).min()!)
            if let upper = bounds.compactMap(\.upperBound).max(), !bounds.contains(where: { $0.upperBound == nil }) {
                clauses.append("c.aum_fen < ?"); args.append(upper)
            }
        }
        if !filter.kinds.isEmpty {
            clauses.append("c.kind IN (\(filter.kinds.map { _ in "?" }.joined(separator: ",")))")
            args += filter.kinds.sorted { $0.rawValue < $1.rawValue }.map(\.rawValue)
        }
        if let q = filter.industryQuality { clauses.append("c.industry_quality = ?"); args.append(q.rawValue) }
        if let older = filter.older {
            // Born on or before this day means 45 or older on asOf.
            let cutoff = CalendarDate(year: asOf.year - 45, month: asOf.month,
                                      day: min(asOf.day, CalendarDate.daysIn(month: asOf.month, year: asOf.year - 45)))!
            clauses.append(older ? "c.birth_date <= ?" : "c.birth_date > ?"); args.append(cutoff.iso)
        }
        if let v = filter.village { clauses.append("c.village = ?"); args.append(v) }
        if let t = filter.tag {
            clauses.append("EXISTS (SELECT 1 FROM customer_tags t WHERE t.customer_id = c.customer_id AND t.tag = ?)")
            args.append(t)
        }
        if let open = filter.hasOpenTask {
            clauses.append((open ? "" : "NOT ")
                + "EXISTS (SELECT 1 FROM tasks k WHERE k.customer_id = c.customer_id AND k.status = 'open')")
        }
        if let a = filter.activity {
            clauses.append("EXISTS (SELECT 1 FROM customer_rules r WHERE r.customer_id = c.customer_id AND r.activity = ?)")
            args.append(a)
        }
        if let seg = filter.segment {
            clauses.append("EXISTS (SELECT 1 FROM customer_rules r WHERE r.customer_id = c.customer_id AND r.segment = ?)")
            args.append(seg)
        }
        if let days = filter.staleDays {
            clauses.append("ifnull(c.last_contact_at, '') < ?"); args.append(asOf.adding(days: -days).iso)
        }
        let order: String
        switch sort {
        case .aum:
            order = "c.aum_fen DESC, c.id DESC"
            if let cursor { clauses.append("(c.aum_fen, c.id) < (?, ?)"); args += [cursor.aum ?? 0, cursor.rowID] }
        case .name:
            order = "c.pinyin, c.id"
            if let cursor { clauses.append("(c.pinyin, c.id) > (?, ?)"); args += [cursor.text ?? "", cursor.rowID] }
        case .lastContact:
            order = "ifnull(c.last_contact_at, ''), c.id"
            if let cursor {
                clauses.append("(ifnull(c.last_contact_at, ''), c.id) > (?, ?)"); args += [cursor.text ?? "", cursor.rowID]
            }
        }
        var sql = "SELECT \(CustomerSummary.selection) FROM customers c"
        if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
        sql += " ORDER BY \(order) LIMIT ?"
        args.append(limit + 1)
        let finalSQL = sql
        let finalArgs = StatementArguments(args)
        return try read { db in
            let rows = try Row.fetchAll(db, sql: finalSQL, arguments: finalArgs)
            var out = rows.prefix(limit).map(CustomerSummary.init(row:))
            var next: PortfolioCursor?
            if rows.count > limit, let last = rows.prefix(limit).last {
                // The cursor holds the sort key of the last row shown, and its row id.
                switch sort {
                case .aum: next = PortfolioCursor(aum: last["aum_fen"] ?? 0, text: nil, rowID: last["id"])
                case .name: next = PortfolioCursor(aum: nil, text: last["pinyin"] ?? "", rowID: last["id"])
                case .lastContact:
                    next = PortfolioCursor(aum: nil, text: last["last_contact_at"] ?? "", rowID: last["id"])
                }
            }
            if out.count > limit { out.removeLast(out.count - limit) }
            return PortfolioPage(rows: out, next: next)
        }
    }
}

extension TierThresholds {
    /// The AUM (fen) of a tier: from its threshold up to the next one (none for private).
    func aumRange(of tier: Tier) -> (lowerBound: Int64, upperBound: Int64?) {
        switch tier {
        case .mass: (Int64.min, wealth.fen)
        case .wealth: (wealth.fen, affluent.fen)
        case .affluent: (affluent.fen, privateBanking.fen)
        case .privateBanking: (privateBanking.fen, nil)
        }
    }
}
