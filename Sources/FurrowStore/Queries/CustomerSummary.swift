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

    init(row: Row) {
        rowID = row["id"]
        customerID = row["customer_id"]
        name = row["name"]
        kind = CustomerKind(rawValue: row["kind"] ?? "") ?? .individual
        tier = Tier(rawValue: row["tier"] ?? "") ?? .mass
        aum = Money(fen: row["aum_fen"] ?? 0)
        mobile = row["mobile"]
        idNumber = row["id_number"]
        idType = (row["id_type"] as String?).flatMap(IDType.init(rawValue:))
        village = row["village"]
        rmID = row["rm_id"]
        lastContactAt = row["last_contact_at"]
    }
}
