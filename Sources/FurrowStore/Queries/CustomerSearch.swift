import Foundation
import FurrowCore
import GRDB

/// How a search hit matched, best first: results are ranked exact, then prefix, then substring.
public enum SearchMatch: String, Sendable, Codable, Comparable {
    case customerID = "customer_id"
    case exactName = "name"
    case exactPinyin = "pinyin"
    case exactInitials = "initials"
    case phoneLast4 = "phone_last4"
    case idSuffix = "id_suffix"
    case namePrefix = "name_prefix"
    case pinyinPrefix = "pinyin_prefix"
    case initialsPrefix = "initials_prefix"
    case nameSubstring = "name_substring"

    /// 0 exact, 1 prefix, 2 substring.
    public var rank: Int {
        switch self {
        case .customerID, .exactName, .exactPinyin, .exactInitials, .phoneLast4, .idSuffix: 0
        case .namePrefix, .pinyinPrefix, .initialsPrefix: 1
        case .nameSubstring: 2
        }
    }

    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

public struct SearchHit: Hashable, Sendable, Codable {
    public var customer: CustomerSummary
    public var match: SearchMatch
}

/// What kind of text the RM typed; each class has its own indexed path (docs/search.md).
public enum SearchQueryClass: String, Sendable, CaseIterable {
    case chinese, latin, digits
}

/// One step of a search plan: a statement with its arguments and what a hit from it means.
struct SearchStep {
    var match: SearchMatch
    var sql: String
    var arguments: [String]
}

public enum CustomerSearch {
    public static func classify(_ query: String) -> SearchQueryClass {
        // Digits, possibly ending in the X of an ID check character ("12123X"); letters
        // alone ("x", "xx" for 徐, 许) are pinyin.
        let scalars = Array(query.unicodeScalars)
        if let first = scalars.first, ("0"..."9").contains(first),
           scalars.dropLast().allSatisfy({ ("0"..."9").contains($0) }),
           let last = scalars.last, ("0"..."9").contains(last) || last == "X" || last == "x" {
            return .digits
        }
        if query.unicodeScalars.allSatisfy({ $0.isASCII }) { return .latin }
        return .chinese
    }

    /// The statements a query runs, in rank order. Each has `LIMIT ?` appended by the caller.
    static func plan(_ raw: String) -> [SearchStep] {
        let q = raw.trimmingCharacters(in: .whitespaces)
        guard !q.isEmpty else { return [] }
        let sel = "SELECT \(CustomerSummary.selection) FROM customers c WHERE "
        var steps = [SearchStep(match: .customerID, sql: sel + "c.customer_id = ?", arguments: [q.uppercased()])]
        switch classify(q) {
        case .digits:
            let upper = q.uppercased()
            let allDigits = q.allSatisfy(\.isNumber)
            if upper.count == 4 {
                if allDigits { steps.append(.init(match: .phoneLast4, sql: sel + "c.phone_last4 = ?", arguments: [upper])) }
                steps.append(.init(match: .idSuffix, sql: sel + "c.id_last4 = ?", arguments: [upper]))
            } else if upper.count == 6 {
                steps.append(.init(match: .idSuffix, sql: sel + "c.id_last6 = ?", arguments: [upper]))
            } else if upper.count == 11, allDigits {
                steps.append(.init(match: .phoneLast4, sql: sel + "c.phone_last4 = ? AND " + AppDatabase.sealedMatchSQL("mobile", alias: "c"),
                                   arguments: [String(upper.suffix(4)), upper, upper]))
            } else if upper.count == 18 {
                steps.append(.init(match: .idSuffix, sql: sel + "c.id_last6 = ? AND " + AppDatabase.sealedMatchSQL("id_number", alias: "c"),
                                   arguments: [String(upper.suffix(6)), upper, upper]))
            }
        case .latin:
            let k = q.lowercased().filter { $0.isLetter || $0.isNumber }
            guard !k.isEmpty else { break }
            let hi = k + "~"   // '~' sorts after every letter and digit
            steps += [
                .init(match: .exactInitials, sql: sel + "c.initials = ?", arguments: [k]),
                .init(match: .exactInitials, sql: sel + "c.initials_alt = ?", arguments: [k]),
                .init(match: .exactPinyin, sql: sel + "c.pinyin = ?", arguments: [k]),
                .init(match: .exactPinyin, sql: sel + "c.pinyin_alt = ?", arguments: [k]),
                .init(match: .initialsPrefix, sql: sel + "c.initials > ? AND c.initials < ?", arguments: [k, hi]),
                .init(match: .initialsPrefix, sql: sel + "c.initials_alt > ? AND c.initials_alt < ?", arguments: [k, hi]),
                .init(match: .pinyinPrefix, sql: sel + "c.pinyin > ? AND c.pinyin < ?", arguments: [k, hi]),
                .init(match: .pinyinPrefix, sql: sel + "c.pinyin_alt > ? AND c.pinyin_alt < ?", arguments: [k, hi]),
            ]
        case .chinese:
            steps.append(.init(match: .exactName, sql: sel + "c.name = ?", arguments: [q]))
            steps.append(.init(match: .namePrefix, sql: sel + "c.name > ? AND c.name < ?",
                               arguments: [q, q + "\u{10FFFF}"]))
            let phrase = SearchKeys.spaced(q).replacingOccurrences(of: "\"", with: "")
            if !phrase.isEmpty {
                steps.append(.init(
                    match: .nameSubstring,
                    sql: "SELECT \(CustomerSummary.selection) FROM customer_name_chars f "
                        + "JOIN customers c ON c.id = f.rowid WHERE customer_name_chars MATCH ?",
                    arguments: ["\"\(phrase)\""]))
            }
        }
        return steps
    }
}

extension AppDatabase {
    /// Finds customers by name (1, 2, 3+ Chinese characters), full pinyin, pinyin initials
    /// (every reading of a polyphonic surname), phone last 4, ID last 4 or 6, or customer ID.
    /// Ranked: exact, then prefix, then substring; at most `limit` hits.
    public func search(_ query: String, limit: Int = 50) throws(StoreError) -> [SearchHit] {
        let steps = CustomerSearch.plan(query)
        guard !steps.isEmpty, limit > 0 else { return [] }
        return try read { db in
            var hits: [SearchHit] = []
            var seen = Set<Int64>()
            for step in steps {
                let remaining = limit - hits.count
                if remaining <= 0 { break }
                // Ask for enough rows to still fill the page after removing duplicates.
                let args = StatementArguments(step.arguments) + [remaining + seen.count]
                let rows = try Row.fetchCursor(db, sql: step.sql + " LIMIT ?", arguments: args)
                while let row = try rows.next() {
                    let s = CustomerSummary(row: row)
                    if seen.insert(s.rowID).inserted {
                        hits.append(SearchHit(customer: s, match: step.match))
                        if hits.count == limit { break }
                    }
                }
            }
            return hits
        }
    }
}
