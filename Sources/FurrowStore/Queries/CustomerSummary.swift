import FurrowCore
import GRDB

/// One line of a customer list (search results, portfolio pages). Personal fields are raw;
/// masking is the presenter's job so a reveal can be audited where it happens.
public struct CustomerSummary: Hashable, Sendable, Codable {
    /// The store's internal row id, used as the keyset tiebreaker.
    public var rowID: Int64
    public var customerID: String
    public var name: String
    public var kind: CustomerKind
    public var tier: Tier
    public var aum: Money
    public var mobile: String?
    public var idNumber: String?
    public var idType: IDType?
    public var village: String?
    public var rmID: String?
    public var lastContactAt: String?

    static let selection = """
        c.id, c.customer_id, c.name, c.kind, c.tier, c.aum_fen, c.mobile, c.id_number, c.id_type,
        c.village, c.rm_id, c.last_contact_at, c.pinyin
        """

    /// Reads the columns of `selection` by position: looking them up by name costs more
    /// than the query itself on a 50-row search page.
    init(row: Row) {
        rowID = row[0]
        customerID = row[1]
        name = row[2]
        kind = CustomerKind(rawValue: row[3] ?? "") ?? .individual
        tier = Tier(rawValue: row[4] ?? "") ?? .mass
        aum = Money(fen: row[5] ?? 0)
        mobile = row[6]
        idNumber = row[7]
        idType = (row[8] as String?).flatMap(IDType.init(rawValue:))
        village = row[9]
        rmID = row[10]
        lastContactAt = row[11]
    }
}

extension AppDatabase {
    /// These customers' list lines, by id (for refreshing the rows on screen).
    public func customerSummaries(ids: [String]) throws(StoreError) -> [String: CustomerSummary] {
        guard !ids.isEmpty else { return [:] }
        let sql = "SELECT \(CustomerSummary.selection) FROM customers c WHERE c.customer_id IN (\(ids.map { _ in "?" }.joined(separator: ",")))"
        return try read { db in
            Dictionary(try Row.fetchAll(db, sql: sql, arguments: StatementArguments(ids)).map(CustomerSummary.init(row:))
                .map { ($0.customerID, $0) }, uniquingKeysWith: { a, _ in a })
        }
    }
}
