/// A household (户): the customers joined by family relations — spouse, parent, child,
/// sibling. Business and guarantee relations link parties but do not make a household.
public struct Household: Hashable, Sendable, Codable {
    /// Customer IDs, sorted.
    public var members: [String]

    public init(members: [String]) { self.members = members.sorted() }

    public static let familyRelations: Set<RelationKind> = [.spouse, .parent, .child, .sibling]

    /// Groups customers into households from their relations (connected components over the
    /// family relations). Customers without family relations are not listed.
    public static func group(_ relations: [Relation]) -> [Household] {
        var parent: [String: String] = [:]
        func find(_ x: String) -> String {
            var root = x
            while let p = parent[root], p != root { root = p }
            var node = x
            while let p = parent[node], p != root { parent[node] = root; node = p }
            return root
        }
        for r in relations where familyRelations.contains(r.relation) {
            if parent[r.customerID] == nil { parent[r.customerID] = r.customerID }
            if parent[r.relatedID] == nil { parent[r.relatedID] = r.relatedID }
            let a = find(r.customerID), b = find(r.relatedID)
            if a != b { parent[max(a, b)] = min(a, b) }
        }
        var groups: [String: [String]] = [:]
        for id in parent.keys { groups[find(id), default: []].append(id) }
        return groups.values.map { Household(members: $0) }.sorted { $0.members[0] < $1.members[0] }
    }
}
