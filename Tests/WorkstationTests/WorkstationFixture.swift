import Foundation
import FurrowCore
import FurrowStore
import Synchronization
@testable import Workstation

/// A small branch with an RM (S1), a team lead (S9) and a president (P1): customers of every
/// tier with Chinese names, a household, contacts, a complaint and tasks around "today"
/// (2026-11-20, 10:00 in Shanghai — a fixed clock, so screens are the same on every run).
enum WorkstationFixture {
    static let today = CalendarDate(year: 2026, month: 11, day: 20)!
    /// 2026-11-20 10:00:00 in Asia/Shanghai.
    static let start = Date(timeIntervalSince1970: 1_795_140_000)

    /// The store's clock starts at `start` too and moves on as time passes (so writes made one
    /// after another are stamped in order): what it stamps and checks ("not in the future", "the
    /// campaign has ended") never depends on today's date.
    static func store(clock: @escaping @Sendable () -> Date = SteadyClock.starting(at: start)) throws -> AppDatabase {
        let db = try AppDatabase.inMemory(clock: clock)
        try seed(db)
        return db
    }

    static func seed(_ db: AppDatabase) throws {
        _ = try db.importExtract(directory: "t", actor: "t", asOf: today) { s in
            try s.upsert(Staff(staffID: "S1", name: "李经理", role: .rm, team: "东"))
            try s.upsert(Staff(staffID: "S2", name: "陈经理", role: .rm, team: "东"))
            try s.upsert(Staff(staffID: "S9", name: "赵组长", role: .lead, team: "东"))
            try s.upsert(Product(productCode: "D1", name: "活期储蓄", type: .demand, riskLevel: .r1))
            try s.upsert(Product(productCode: "T1", name: "一年定期", type: .timeDeposit, riskLevel: .r1, termDays: 365))
            let people: [(String, String, String, Int64, String)] = [
                ("C1", "张三丰", "13812345678", 6_500_000, "S1"), ("C2", "王小虎", "13900001111", 250_000, "S1"),
                ("C3", "欧阳修", "13700002222", 800, "S1"), ("C4", "单雄信", "15900003333", 1_200_000, "S1"),
                ("C5", "曾小贤", "13600004444", 60_000, "S2"),
            ]
            for (i, p) in people.enumerated() {
                let id = ResidentID.make(region: "330185", birthDate: CalendarDate(year: 1960 + i * 7, month: 5, day: 1)!,
                                         sequence: 11 + i, gender: .male)
                try s.upsert(Customer(customerID: p.0, name: p.1, kind: i == 3 ? .farmer : .individual, idType: .residentID,
                                      idNumber: id, mobile: p.2, address: "浙江省杭州市临安区青山村\(i + 1)号", village: "青山村",
                                      riskLevel: .c3, riskAssessedOn: CalendarDate(year: i == 1 ? 2025 : 2026, month: 3, day: 1)!))
                try s.upsert(Assignment(customerID: p.0, staffID: p.4, since: CalendarDate(year: 2024, month: 1, day: 1)!))
                try s.upsert(Account(accountID: "A\(p.0)", customerID: p.0, productCode: "D1", balance: Money(yuan: p.3 / 2),
                                     status: .active))
                try s.upsert(Account(accountID: "T\(p.0)", customerID: p.0, productCode: "T1",
                                     maturityDate: today.adding(days: 10 + i), balance: Money(yuan: p.3 - p.3 / 2), status: .active,
                                     rate: "1.75"))
                for m in 1...11 {
                    let month = "2026-\(m < 10 ? "0" : "")\(m)"
                    let avg = p.3 * Int64(90 + m) / 101
                    try s.upsert(MonthlyBalance(customerID: p.0, month: month, aumAverage: Money(yuan: avg), aumEnd: Money(yuan: avg)))
                }
                try s.upsert(Transaction(txnID: "X\(p.0)", accountID: "A\(p.0)", postedAt: "2026-11-1\(i) 09:00:00",
                                         amount: Money(yuan: 20_000), kind: .payroll, channel: .batch, counterpartyName: "临安电机厂"))
            }
            try s.upsert(Relation(customerID: "C2", relatedID: "C1", relation: .child))
            try s.upsert(Interaction(interactionID: "I1", customerID: "C1", staffID: "S1", at: "2026-10-01 10:00:00",
                                     channel: .visit, purpose: "定期到期", outcome: "同意续存"))
            try s.upsert(Complaint(complaintID: "K1", customerID: "C2", receivedAt: "2026-11-19 09:00:00", channel: .counter,
                                   category: "排队时间长", severity: .medium, description: "等了一个小时"))
            return .commit(summary: "fixture")
        }
        _ = try db.createTask(customerID: "C3", title: "回访理财", reason: "上次走访约定", dueOn: today.adding(days: -2), by: "S1")
        _ = try db.createTask(customerID: "C1", title: "定期到期转存", reason: "定期下周到期", dueOn: today, priority: .high, by: "S1")
        _ = try db.createTask(customerID: "C4", title: "生日问候", reason: "客户生日", dueOn: today.adding(days: 3), by: "S1")
        _ = try db.createTask(customerID: "C5", title: "别人的任务", reason: nil, dueOn: today, by: "S2")
    }

    /// A clock the test moves.
    final class Clock: Sendable {
        private let time = Mutex(WorkstationFixture.start)
        var now: Date { time.withLock { $0 } }
        func advance(_ seconds: TimeInterval) { time.withLock { $0 += seconds } }
    }

    static func app(_ db: AppDatabase? = nil, user: String = "S1", scope: PortfolioScope? = nil, clock: Clock = Clock(),
                    lock: LockState = LockState()) throws -> WorkstationApp {
        let store = try db ?? self.store()
        let identity = UserIdentity.resolve(user, staff: try store.staff())
        return WorkstationApp(store: store, user: identity, scope: scope ?? .rm(user), storeLabel: "test.sqlite",
                              now: { clock.now }, themeDirectories: [themesDirectory], lock: lock)
    }

    static let themesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("themes").path
}

extension WorkstationApp {
    /// Types text and keys in one go.
    @discardableResult
    func type(_ text: String) -> Outcome {
        var last = Outcome.redraw
        for c in text { last = handle(.character(c)) }
        return last
    }

    func screenText(_ w: Int = 100, _ h: Int = 30) -> String { render(width: w, height: h).textDump() }
}
