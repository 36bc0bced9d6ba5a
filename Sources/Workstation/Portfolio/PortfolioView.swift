import FurrowCore
import FurrowStore

/// A portfolio view: filters and sort, written as `tier=wealth,private;kind=farmer;village=青山村;
/// tag=养殖户;task=yes;stale=90;sort=aum` so it can be saved by name and typed on the command line.
struct PortfolioView: Hashable, Sendable {
    var filter = PortfolioFilter()
    var sort: PortfolioSort = .aum

    var isFiltered: Bool { filter != PortfolioFilter() }

    var spec: String {
        var parts: [String] = []
        if !filter.tiers.isEmpty { parts.append("tier=" + filter.tiers.map(\.rawValue).sorted().joined(separator: ",")) }
        if !filter.kinds.isEmpty { parts.append("kind=" + filter.kinds.map(\.rawValue).sorted().joined(separator: ",")) }
        if let v = filter.village { parts.append("village=" + v) }
        if let t = filter.tag { parts.append("tag=" + t) }
        if let o = filter.hasOpenTask { parts.append("task=" + (o ? "yes" : "no")) }
        if let d = filter.staleDays { parts.append("stale=\(d)") }
        if let a = filter.activity { parts.append("activity=" + a) }
        if let s = filter.segment { parts.append("segment=" + s) }
        parts.append("sort=" + sort.rawValue)
        return parts.joined(separator: ";")
    }

    /// Parses a spec, saying which part is wrong.
    static func parse(_ spec: String) -> Result<PortfolioView, ViewSpecError> {
        var v = PortfolioView()
        for part in spec.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2 else { return .failure(ViewSpecError(part: part, reason: "expected key=value")) }
            let values = kv[1].split(separator: ",").map(String.init)
            switch kv[0] {
            case "tier":
                let tiers = values.compactMap(Tier.init(rawValue:))
                guard tiers.count == values.count else { return .failure(ViewSpecError(part: part, reason: "tiers are mass, wealth, affluent, private")) }
                v.filter.tiers = Set(tiers)
            case "kind":
                let kinds = values.compactMap(CustomerKind.init(rawValue:))
                guard kinds.count == values.count else {
                    return .failure(ViewSpecError(part: part, reason: "kinds are " + CustomerKind.allCases.map(\.rawValue).joined(separator: ", ")))
                }
                v.filter.kinds = Set(kinds)
            case "village": v.filter.village = kv[1]
            case "tag": v.filter.tag = kv[1]
            case "task":
                guard ["yes", "no"].contains(kv[1]) else { return .failure(ViewSpecError(part: part, reason: "yes or no")) }
                v.filter.hasOpenTask = kv[1] == "yes"
            case "stale":
                guard let d = Int(kv[1]), (1...3650).contains(d) else { return .failure(ViewSpecError(part: part, reason: "days, 1 to 3650")) }
                v.filter.staleDays = d
            case "activity":
                guard Activity(rawValue: kv[1]) != nil else { return .failure(ViewSpecError(part: part, reason: "active, dormant or churn-warning")) }
                v.filter.activity = kv[1]
            case "segment":
                guard Segment(rawValue: kv[1]) != nil else { return .failure(ViewSpecError(part: part, reason: "A to H")) }
                v.filter.segment = kv[1]
            case "sort":
                guard let s = PortfolioSort(rawValue: kv[1]) else { return .failure(ViewSpecError(part: part, reason: "aum, name or last-contact")) }
                v.sort = s
            default:
                return .failure(ViewSpecError(part: part, reason: "unknown key; use tier, kind, village, tag, task, stale, activity, segment, sort"))
            }
        }
        return .success(v)
    }

    /// A short description for the header line.
    var label: String {
        var parts: [String] = []
        if !filter.tiers.isEmpty { parts.append(filter.tiers.sorted { $0.rawValue < $1.rawValue }.map(\.label).joined(separator: "/")) }
        if !filter.kinds.isEmpty { parts.append(filter.kinds.map(\.label).sorted().joined(separator: "/")) }
        if let v = filter.village { parts.append(v) }
        if let t = filter.tag { parts.append("#" + t) }
        if let o = filter.hasOpenTask { parts.append(o ? "有待办 open task" : "无待办 no task") }
        if let d = filter.staleDays { parts.append("\(d)天未联系 no contact \(d)d") }
        if let a = filter.activity { parts.append(Activity(rawValue: a)?.label ?? a) }
        if let s = filter.segment { parts.append("\(s)类 segment \(s)") }
        return parts.isEmpty ? "全部 all" : parts.joined(separator: " · ")
    }
}

struct ViewSpecError: Error, Hashable {
    var part: String
    var reason: String
    var description: String { "\"\(part)\": \(reason)" }
}

extension PortfolioSort {
    var label: String {
        switch self {
        case .aum: "AUM ↓"
        case .name: "姓名 name"
        case .lastContact: "最久未联系 longest without contact"
        }
    }

    var next: PortfolioSort {
        let all = Self.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}
