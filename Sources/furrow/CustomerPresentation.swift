import Foundation
import FurrowCore
import FurrowStore
import TerminalUI

/// What the CLI prints for a customer line: personal fields masked unless revealed.
struct CustomerLine: Codable {
    var customerID: String
    var name: String
    var kind: String
    var tier: String
    var aumFen: Int64
    var aum: String
    var mobile: String?
    var idNumber: String?
    var village: String?
    var rm: String?
    var lastContact: String?
    var match: String?

    /// `opened`: the sealed values opened for a reveal; without it, the masked forms.
    init(_ c: CustomerSummary, opened: RevealedIdentity?, match: SearchMatch? = nil) {
        customerID = c.customerID
        name = c.name
        kind = c.kind.rawValue
        tier = c.tier.rawValue
        aumFen = c.aum.fen
        aum = c.aum.formatted()
        mobile = opened.map(\.mobile) ?? c.mobile.map(Masking.mobile)
        idNumber = opened.map(\.idNumber) ?? c.idNumber.map { Masking.idNumber($0, type: c.idType) }
        village = c.village
        rm = c.rmID
        lastContact = c.lastContactAt
        self.match = match?.rawValue
    }

    static func table(_ lines: [CustomerLine], withMatch: Bool) -> String {
        var columns: [TextTable.Column] = [
            .init("customer"), .init("name", maxWidth: 24), .init("tier"), .init("AUM ¥", alignRight: true),
            .init("mobile"), .init("ID"), .init("village", maxWidth: 16), .init("RM"),
        ]
        if withMatch { columns.append(.init("match")) }
        var t = TextTable(columns: columns)
        for l in lines {
            var row = [l.customerID, l.name, Tier(rawValue: l.tier)?.label ?? l.tier, l.aum, l.mobile ?? "",
                       l.idNumber ?? "", l.village ?? "", l.rm ?? ""]
            if withMatch { row.append(l.match ?? "") }
            t.append(row)
        }
        return t.render()
    }
}

enum JSONOutput {
    static func print<T: Encodable>(_ value: T) throws {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        Swift.print(String(decoding: try enc.encode(value), as: UTF8.self))
    }
}
