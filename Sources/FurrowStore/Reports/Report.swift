import Foundation
import FurrowCore

/// A report as data: columns with kinds, rows of values, totals, notes. The CLI prints it as a
/// table, CSV or JSON; the Reports screen draws it with a chart. The JSON is the stable form:
/// `{"report", "title", "parameters", "columns": [{"key", "title", "kind"}], "rows": [{key: value}],
/// "totals": {key: value}, "notes": [...]}` — money as integer fen, shares as fractions.
public struct Report: Sendable {
    public enum Kind: String, Sendable, Codable { case text, count, money, share, month, days }

    public struct Column: Sendable, Codable, Hashable {
        public var key: String
        public var title: String
        public var kind: Kind
        public init(_ key: String, _ title: String, _ kind: Kind) { self.key = key; self.title = title; self.kind = kind }
    }

    public enum Value: Sendable, Hashable {
        case text(String)
        case int(Int64)
        case share(Double?)
        case none

        public var number: Double? {
            switch self {
            case .int(let v): Double(v)
            case .share(let v): v
            default: nil
            }
        }
    }

    public var name: String
    public var title: String
    public var parameters: [String: String]
    public var columns: [Column]
    public var rows: [[Value]]
    public var totals: [Value]?
    public var notes: [String] = []
    /// The column whose values a bar chart shows, and the one labelling the bars.
    public var chart: (label: String, value: String)?

    public func column(_ key: String) -> Int? { columns.firstIndex { $0.key == key } }

    /// A value as a person reads it in a table.
    public static func text(_ v: Value, kind: Kind) -> String {
        switch (v, kind) {
        case (.text(let s), _): s
        case (.int(let n), .money): Money(fen: n).formattedWan()
        case (.int(let n), _): n.formatted()
        case (.share(let d?), _): String(format: "%.1f%%", d * 100)
        case (.share(nil), _), (.none, _): "—"
        }
    }

    public var csv: String {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        func raw(_ v: Value) -> String {
            switch v {
            case .text(let s): s
            case .int(let n): String(n)
            case .share(let d): d.map { String(format: "%.4f", $0) } ?? ""
            case .none: ""
            }
        }
        var lines = [columns.map { field($0.key) }.joined(separator: ",")]
        for r in rows + (totals.map { [$0] } ?? []) { lines.append(r.map { field(raw($0)) }.joined(separator: ",")) }
        return lines.joined(separator: "\n") + "\n"
    }

    public func json() throws -> Data {
        func any(_ v: Value) -> Any {
            switch v {
            case .text(let s): s
            case .int(let n): n
            case .share(let d): d.map { (($0 * 10000).rounded() / 10000) as Any } ?? NSNull()
            case .none: NSNull()
            }
        }
        func object(_ r: [Value]) -> [String: Any] {
            Dictionary(uniqueKeysWithValues: zip(columns.map(\.key), r.map(any)))
        }
        var root: [String: Any] = [
            "report": name, "title": title, "parameters": parameters,
            "columns": columns.map { ["key": $0.key, "title": $0.title, "kind": $0.kind.rawValue] },
            "rows": rows.map(object), "notes": notes,
        ]
        if let totals { root["totals"] = object(totals) }
        return try JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys])
    }
}

/// Which customers and which months a report covers.
public struct ReportRequest: Sendable, Hashable {
    public var from: String?
    public var to: String?
    public var rm: String?

    public init(from: String? = nil, to: String? = nil, rm: String? = nil) {
        self.from = from; self.to = to; self.rm = rm
    }
}

public enum ReportName: String, CaseIterable, Sendable {
    case tiers, migration, aum, coverage, tasks, complaints, retention, payroll, nps, channels

    public var label: String {
        switch self {
        case .tiers: "分层 Tiers"
        case .migration: "迁移 Tier migration"
        case .aum: "资产 AUM trend"
        case .coverage: "覆盖 Contact coverage"
        case .tasks: "待办 Tasks"
        case .complaints: "投诉 Complaints"
        case .retention: "流失 Retention"
        case .payroll: "代发 Payroll units"
        case .nps: "满意度 NPS"
        case .channels: "渠道 Channels"
        }
    }
}
