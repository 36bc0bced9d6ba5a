import Foundation
import FurrowCore
import FurrowStore

/// For a first load, the derived columns of each customer — AUM of the latest month, the RM in
/// force, the last contact — follow from the extract alone. Reading them before the customers
/// are written lets each customer be inserted complete, instead of every row being rewritten
/// at the end. Lenient: a row it cannot read is left to validation, which reports it; if any
/// such row is rejected the store derives the columns again itself (`rederiveAll`).
struct DerivedPrepass: Sendable {
    var aum: [String: (month: String, fen: Int64)] = [:]
    var rm: [String: (since: String, staff: String)] = [:]
    var contact: [String: String] = [:]

    func derived(for customerID: String) -> ImportSession.KnownDerived {
        let a = aum[customerID]
        return ImportSession.KnownDerived(aum: Money(fen: a?.fen ?? 0), aumMonth: a?.month,
                                          rmID: rm[customerID]?.staff, lastContactAt: contact[customerID])
    }

    static func read(directory: URL, encoding: ExtractEncoding?, assignmentDate: String) -> DerivedPrepass {
        var p = DerivedPrepass()
        rows(directory, .monthlyBalances, ["customer_id", "month", "aum_avg"], encoding) { f in
            guard var amount = Optional(f[2]), let fen = amount.withUTF8({ Money.parseYuan(utf8: $0) })?.fen else { return }
            let id = f[0], month = f[1]
            if let cur = p.aum[id], cur.month >= month { return }
            p.aum[id] = (month, fen)
        }
        rows(directory, .assignments, ["customer_id", "staff_id", "since"], encoding) { f in
            let id = f[0], since = f[2]
            guard since <= assignmentDate, (p.rm[id]?.since ?? "") < since else { return }
            p.rm[id] = (since, f[1])
        }
        rows(directory, .interactions, ["customer_id", "at"], encoding) { f in
            if (p.contact[f[0]] ?? "") < f[1] { p.contact[f[0]] = f[1] }
        }
        return p
    }

    /// Calls `body` with the named fields (trimmed) of every well-formed record of `file`.
    private static func rows(_ dir: URL, _ file: ExtractFile, _ names: [String], _ encoding: ExtractEncoding?,
                             _ body: ([String]) -> Void) {
        guard let data = FileManager.default.contents(atPath: dir.appendingPathComponent(file.rawValue).path),
              let utf8 = try? ExtractEncoding.decodeToUTF8([UInt8](data), override: encoding).utf8 else { return }
        var reader = CSVReader(utf8: utf8)
        guard case .row(let headerRow)? = reader.next() else { return }
        let header = CSVHeader(fields: headerRow.fields)
        let indexes = names.compactMap { header.index(of: $0) }
        guard indexes.count == names.count else { return }
        var fields = [String](repeating: "", count: names.count)
        while let result = reader.next() {
            guard case .row(let row) = result, row.fields.count == header.names.count else { continue }
            for (k, i) in indexes.enumerated() { fields[k] = row.fields[i].trimmingSpaces() }
            body(fields)
        }
    }
}
