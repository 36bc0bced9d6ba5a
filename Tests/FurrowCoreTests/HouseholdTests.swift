import FurrowCore
import Testing

@Suite("Households from relations")
struct HouseholdTests {
    @Test("family relations join customers into one household; business ties do not")
    func grouping() {
        let rels = [
            Relation(customerID: "C2", relatedID: "C1", relation: .spouse),
            Relation(customerID: "C3", relatedID: "C1", relation: .child),
            Relation(customerID: "C4", relatedID: "C3", relation: .spouse),
            Relation(customerID: "C5", relatedID: "C6", relation: .sibling),
            Relation(customerID: "C1", relatedID: "E9", relation: .ownerOf),
            Relation(customerID: "C7", relatedID: "C5", relation: .guarantorFor),
        ]
        let households = Household.group(rels)
        #expect(households == [Household(members: ["C1", "C2", "C3", "C4"]), Household(members: ["C5", "C6"])])
    }

    @Test("no relations, no households")
    func empty() {
        #expect(Household.group([]).isEmpty)
        #expect(Household.group([Relation(customerID: "A", relatedID: "B", relation: .employeeOf)]).isEmpty)
    }
}
