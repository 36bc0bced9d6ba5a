import FurrowCore
import FurrowStore
import TerminalUI

/// What a customer list shows, from domain values only (no terminal, no store): personal data
/// masked, money shortened to fit, tiers as their Chinese names with a style role.
public enum CustomerRowPresenter {
    public struct Column: Sendable {
        public var title: String
        public var width: Int
        public var alignRight: Bool
    }

    public static let columns: [Column] = [
        Column(title: "客户号", width: 10, alignRight: false),
        Column(title: "姓名", width: 16, alignRight: false),
        Column(title: "层级", width: 8, alignRight: false),
        Column(title: "AUM ¥", width: 14, alignRight: true),
        Column(title: "手机", width: 11, alignRight: false),
        Column(title: "村/社区", width: 16, alignRight: false),
        Column(title: "最近联系", width: 10, alignRight: false),
    ]

    public static func cells(_ c: CustomerSummary) -> [String] {
        [c.customerID, c.name, c.tier.label, c.aum.formatted(maxWidth: 14), c.mobile.map(Masking.mobile) ?? "",
         c.village ?? "", c.lastContactAt.map { String($0.prefix(10)) } ?? "—"]
    }

    public static func tierRole(_ t: Tier) -> StyleRole {
        StyleRole("tier.\(t.rawValue)")
    }
}
