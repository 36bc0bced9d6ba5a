import FurrowCore
import Testing
@testable import FurrowStore

@Suite("Portfolio pages")
struct PortfolioTests {
    let db: AppDatabase
    init() throws { db = try StoreFixture.make() }

    @Test("the current RM comes from the latest assignment in force, not a future one")
    func currentRM() throws {
        let s1 = try db.portfolio(scope: .rm("S1"), limit: 100).rows.map(\.customerID)
        // C001 moved to S2 on 2026-06-01; C002's move on 2027-01-01 is not yet in force.
        #expect(Set(s1) == ["C002", "C003", "C004", "C005", "C006"])
        let s2 = try db.portfolio(scope: .rm("S2"), limit: 100).rows.map(\.customerID)
        #expect(Set(s2) == ["C001", "C007", "C008", "C009"])
    }

    @Test("keyset pages visit every customer exactly once, in order, for every sort")
    func paging() throws {
        for sort in PortfolioSort.allCases {
            var seen: [CustomerSummary] = []
            var cursor: PortfolioCursor?
            var pages = 0
            repeat {
                let page = try db.portfolio(scope: .branch, sort: sort, after: cursor, limit: 2)
                seen += page.rows
                cursor = page.next
                pages += 1
            } while cursor != nil && pages < 20
            #expect(seen.count == StoreFixture.people.count, "\(sort)")
            #expect(Set(seen.map(\.customerID)).count == seen.count, "\(sort)")
            switch sort {
            case .aum:
                #expect(seen.map(\.aum) == seen.map(\.aum).sorted(by: >))
                #expect(seen.first?.customerID == "C001")
            case .name:
                // Pinyin order: 曾 (zeng) after 张 (zhang)? No: "zengguofan" < "zhangsan".
                let names = seen.map(\.name)
                #expect(names.first == "李𠮷")
                #expect(names.firstIndex(of: "曾国藩")! < names.firstIndex(of: "张三")!)
                #expect(names.firstIndex(of: "王小虎")! < names.firstIndex(of: "小张三")!)
            case .lastContact:
                #expect(seen.last?.customerID == "C001")   // the only one ever contacted
            }
        }
    }

    @Test("AUM is the latest month's average and sets the tier")
    func tiers() throws {
        let rows = try db.portfolio(scope: .branch, filter: PortfolioFilter(tiers: [.privateBanking]), limit: 100).rows
        #expect(rows.map(\.customerID) == ["C001"])
        #expect(rows.first?.aum == Money(yuan: 6_500_000))
        let wealth = try db.portfolio(scope: .branch, filter: PortfolioFilter(tiers: [.wealth]), limit: 100).rows
        // 100,000 × (i+1) + 12 for the others: C002 (200,012) … C008 (800,012) are wealth; C009 900,012 too.
        #expect(Set(wealth.map(\.customerID)) == ["C002", "C003", "C004", "C005", "C006", "C007", "C008", "C009"])
    }

    @Test("filters by village, team, tag and open task")
    func filters() throws {
        let qs = try db.portfolio(scope: .branch, filter: PortfolioFilter(village: "青山村"), limit: 100).rows
        #expect(Set(qs.map(\.customerID)) == ["C001", "C003", "C005", "C007", "C009"])
        let team = try db.portfolio(scope: .team("西"), limit: 100).rows
        #expect(Set(team.map(\.customerID)) == ["C001", "C007", "C008", "C009"])
        try db.addTag(customerID: "C004", tag: "茶农", by: "S1")
        #expect(try db.portfolio(scope: .branch, filter: PortfolioFilter(tag: "茶农")).rows.map(\.customerID) == ["C004"])
        _ = try db.createTask(customerID: "C005", title: "回访", reason: nil, dueOn: StoreFixture.asOf, by: "S1")
        #expect(try db.portfolio(scope: .branch, filter: PortfolioFilter(hasOpenTask: true)).rows.map(\.customerID) == ["C005"])
        #expect(try db.portfolio(scope: .branch, filter: PortfolioFilter(hasOpenTask: false), limit: 100).rows.count == 8)
    }
}
