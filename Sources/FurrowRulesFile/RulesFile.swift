import FurrowCore
import Foundation
import TOMLKit
import TOMLSupport

/// A problem in a rules file, as `FILE:LINE: key: reason`.
public struct RulesFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var key: String
    public var reason: String

    public var description: String {
        "\(file)\(line.map { ":\($0)" } ?? ""): \(key.isEmpty ? "" : key + ": ")\(reason)"
    }
}

/// Reads the rules file: every threshold of domain.md, each optional (left out, it keeps its
/// default). Every problem is reported, not just the first, each with its line.
///
/// ```toml
/// [tiers]
/// wealth = 200000                 # yuan
/// months_below_to_drop = { wealth = 3, affluent = 3, private = 6 }
/// [cadence]
/// affluent = 30                   # days without contact, by tier
/// [calendar]
/// holidays = [{ from = "2027-01-01", to = "2027-01-01", name = "元旦" }]
/// make_up_workdays = ["2027-02-07"]
/// ```
public enum RulesFile {
    public static func load(path: String) throws(RulesFileProblems) -> RulesConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RulesFileProblems([RulesFileError(file: path, line: nil, key: "", reason: "cannot be read")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RulesFileProblems([RulesFileError(file: path, line: nil, key: "", reason: "is not UTF-8 text")])
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws(RulesFileProblems) -> RulesConfig {
        let root: TOMLTable
        do { root = try TOMLDocument.parse(text) } catch {
            throw RulesFileProblems([RulesFileError(file: file, line: error.line, key: "", reason: error.message)])
        }
        var reader = RulesReader(file: file, lines: KeyLines(text))
        let config = reader.read(root)
        if !reader.problems.isEmpty { throw RulesFileProblems(reader.problems) }
        return config
    }
}

/// All the problems of one file, in the order of their lines.
public struct RulesFileProblems: Error, Sendable, CustomStringConvertible {
    public var problems: [RulesFileError]
    init(_ problems: [RulesFileError]) {
        self.problems = problems.sorted { ($0.line ?? 0, $0.key) < ($1.line ?? 0, $1.key) }
    }
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
