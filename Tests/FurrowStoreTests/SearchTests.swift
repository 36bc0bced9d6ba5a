import FurrowCore
import Testing
@testable import FurrowStore

@Suite("Customer search")
struct SearchTests {
    let db: AppDatabase
    init() throws { db = try StoreFixture.make() }

    func ids(_ q: String) throws -> [String] { try db.search(q).map(\.customer.customerID) }

    @Test("one Chinese character finds every name containing it, exact and prefix first")
    func oneCharacter() throws {
        let hits = try db.search("张")
        #expect(Set(hits.map(\.customer.customerID)) == ["C001", "C002", "C009"])
        #expect(hits.map(\.match) == hits.map(\.match).sorted())
        #expect(try ids("王").sorted() == ["C006", "C008"])
    }

    @Test("two characters match as a substring anywhere in the name")
    func twoCharacters() throws {
        let hits = try db.search("张三")
        #expect(hits.first?.customer.customerID == "C002")
        #expect(hits.first?.match == .exactName)
        #expect(hits.dropFirst().first?.customer.customerID == "C001")
        #expect(hits.dropFirst().first?.match == .namePrefix)
        #expect(hits.last?.customer.customerID == "C009")
        #expect(hits.last?.match == .nameSubstring)
        #expect(try ids("三丰") == ["C001"])
        #expect(try ids("小虎") == ["C006"])
    }

    @Test("three or more characters, and characters outside the BMP")
    func longerAndRare() throws {
        #expect(try ids("张三丰") == ["C001"])
        #expect(try ids("欧阳修") == ["C005"])
        #expect(try ids("𠮷") == ["C007"])
        #expect(try ids("李𠮷") == ["C007"])
        #expect(try ids("丰张").isEmpty)
    }

    @Test("full pinyin and initials, including prefixes")
    func pinyin() throws {
        #expect(try ids("zhangsanfeng") == ["C001"])
        #expect(try ids("zsf") == ["C001"])
        #expect(try ids("wxh") == ["C006"])
        #expect(Set(try ids("zhang")) == ["C001", "C002"])
        #expect(try ids("ZSF") == ["C001"])
        #expect(try ids("ouyangxiu") == ["C005"])
    }

    @Test("polyphonic surnames are found under every reading")
    func polyphonic() throws {
        #expect(try ids("shanxiongxin") == ["C003"])
        #expect(try ids("danxiongxin") == ["C003"])
        #expect(try ids("sxx") == ["C003"])
        #expect(try ids("dxx") == ["C003"])
        #expect(try ids("zengguofan") == ["C004"])
        #expect(try ids("cengguofan") == ["C004"])
    }

    @Test("phone last four, ID last four and six, a whole mobile, a customer ID")
    func numbers() throws {
        #expect(Set(try ids("5678")) == ["C001", "C006"])
        let id3 = StoreFixture.people[2].3!
        #expect(try ids(String(id3.suffix(4))).contains("C003"))
        #expect(try ids(String(id3.suffix(6))) == ["C003"])
        #expect(try ids("15900002222") == ["C003"])
        #expect(try ids("c004") == ["C004"])
        #expect(try db.search("C004").first?.match == .customerID)
    }

    @Test("nothing found, blank and hostile queries return no hits without an error")
    func edgeCases() throws {
        #expect(try ids("").isEmpty)
        #expect(try ids("   ").isEmpty)
        #expect(try ids("\"").isEmpty)
        #expect(try ids("\" OR 1=1 --").isEmpty)
        #expect(Set(try ids("张\"三")) == ["C001", "C002", "C009"])  // the quote is dropped, not passed to FTS
        #expect(try ids("NEAR(张 三)").isEmpty)
        #expect(try ids(String(repeating: "张", count: 500)).isEmpty)
        #expect(try ids("qqqq").isEmpty)
    }

    @Test("digits (with an ID's trailing X) are numbers; letters alone, x included, are pinyin")
    func classification() {
        #expect(CustomerSearch.classify("5678") == .digits)
        #expect(CustomerSearch.classify("12123X") == .digits)
        #expect(CustomerSearch.classify("x") == .latin)
        #expect(CustomerSearch.classify("xx") == .latin)
        #expect(CustomerSearch.classify("X1") == .latin)
        #expect(CustomerSearch.classify("王x") == .chinese)
    }

    @Test("x searches pinyin like any letter")
    func xIsPinyin() throws {
        #expect(try ids("xiong").isEmpty)
        #expect(try ids("sx").contains("C003"))
    }

    @Test("a result list never exceeds the limit and has no duplicates")
    func limits() throws {
        let hits = try db.search("z", limit: 2)
        #expect(hits.count == 2)
        let all = try db.search("z", limit: 100)
        #expect(Set(all.map(\.customer.rowID)).count == all.count)
    }
}
