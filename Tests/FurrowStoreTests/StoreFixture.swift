import Foundation
import FurrowCore
@testable import FurrowStore

/// A small branch written straight through the import session, for store tests.
enum StoreFixture {
    static let asOf = CalendarDate(year: 2026, month: 11, day: 20)!

    static func id(_ region: String, _ y: Int, _ m: Int, _ d: Int, _ seq: Int, _ g: Gender) -> String {
        ResidentID.make(region: region, birthDate: CalendarDate(year: y, month: m, day: d)!, sequence: seq, gender: g)
    }

    static let people: [(String, String, String?, String?)] = [
        // id, name, mobile, resident id
        ("C001", "张三丰", "13812345678", id("330185", 1960, 5, 1, 11, .male)),
        ("C002", "张三", "13900001111", id("330185", 1985, 3, 2, 12, .male)),
        ("C003", "单雄信", "15900002222", id("330185", 1970, 1, 9, 13, .male)),
        ("C004", "曾国藩", "18600003333", id("330127", 1950, 7, 7, 14, .male)),
        ("C005", "欧阳修", "13700004444", id("330127", 1990, 12, 30, 15, .male)),
        ("C006", "王小虎", "13600005678", id("330185", 1982, 8, 8, 16, .male)),
        ("C007", "李𠮷", nil, nil),
        ("C008", "王芳", "13512340000", id("330185", 1995, 2, 28, 17, .female)),
        ("C009", "小张三", nil, nil),
    ]

    static let payrollContact = "13311112222"

    static func make() throws -> AppDatabase {
        let db = try AppDatabase.inMemory(clock: testClock)
        try seed(db)
        return db
    }

    static func seed(_ db: AppDatabase) throws {
        _ = try db.importExtract(directory: "fixture", actor: "test", asOf: asOf) { s in
            try s.upsert(Staff(staffID: "S1", name: "李经理", role: .rm, team: "东"))
            try s.upsert(Staff(staffID: "S2", name: "陈经理", role: .rm, team: "西"))
            try s.upsert(Product(productCode: "D1", name: "活期储蓄", type: .demand, riskLevel: .r1))
            try s.upsert(Product(productCode: "T1", name: "一年定期", type: .timeDeposit, riskLevel: .r1, termDays: 365))
            try s.upsert(Product(productCode: "L1", name: "农户贷款", type: .loan))
            for (i, p) in people.enumerated() {
                try s.upsert(Customer(customerID: p.0, name: p.1, kind: .individual,
                                      idType: p.3 == nil ? nil : .residentID, idNumber: p.3, mobile: p.2,
                                      village: i % 2 == 0 ? "青山村" : "白水村"))
                try s.upsert(Assignment(customerID: p.0, staffID: i < 6 ? "S1" : "S2", since: CalendarDate(year: 2024, month: 1, day: 1)!))
                try s.upsert(Account(accountID: "A\(p.0)", customerID: p.0, productCode: "D1",
                                     balance: Money(yuan: Int64(1000 * (i + 1))), status: .active))
                for m in 1...12 {
                    let month = m <= 1 ? "2025-12" : "2026-\(m - 1 < 10 ? "0" : "")\(m - 1)"
                    // C001 ends the year rich: 6,500,000 in 2026-11.
                    let avg = i == 0 && month == "2026-11" ? 6_500_000 : Int64(100_000 * (i + 1) + m)
                    try s.upsert(MonthlyBalance(customerID: p.0, month: month,
                                                aumAverage: Money(yuan: avg),
                                                aumEnd: Money(yuan: i == 0 && month == "2026-11" ? 6_500_000 : Int64(100_000 * (i + 1)))))
                }
            }
            // C001 is rich, has a time deposit, a loan, a wife (C008) and a history of RMs.
            try s.upsert(Account(accountID: "TD1", customerID: "C001", productCode: "T1", maturityDate: CalendarDate(year: 2026, month: 12, day: 1)!,
                                 balance: Money(yuan: 1_200_000), status: .active, rate: "1.75"))
            try s.upsert(Account(accountID: "LN1", customerID: "C001", productCode: "L1", balance: Money(yuan: 50_000), status: .active))
            try s.upsert(LoanInstalment(accountID: "LN1", dueDate: CalendarDate(year: 2026, month: 12, day: 15)!,
                                        principal: Money(yuan: 4000), interest: Money(yuan: 150)))
            try s.upsert(Relation(customerID: "C008", relatedID: "C001", relation: .spouse))
            try s.upsert(Assignment(customerID: "C001", staffID: "S2", since: CalendarDate(year: 2026, month: 6, day: 1)!))
            try s.upsert(Assignment(customerID: "C002", staffID: "S2", since: CalendarDate(year: 2027, month: 1, day: 1)!))
            try s.upsert(Transaction(txnID: "X1", accountID: "AC001", postedAt: "2026-11-10 09:00:00", amount: Money(yuan: 800_000),
                                     kind: .transferIn, channel: .transfer, counterpartyName: "拆迁办"))
            try s.upsert(Transaction(txnID: "X2", accountID: "TD1", postedAt: "2026-11-12 10:00:00", amount: Money(yuan: -20),
                                     kind: .fee))
            try s.upsert(Interaction(interactionID: "I1", customerID: "C001", staffID: "S1", at: "2026-10-01 10:00:00",
                                     channel: .visit, purpose: "定期到期", outcome: "同意续存"))
            try s.upsert(Complaint(complaintID: "K1", customerID: "C001", receivedAt: "2026-11-01 08:00:00", channel: .phone,
                                   category: "等候时间", severity: .medium))
            // An employer whose payroll passes through the branch, with its contact (sealed at rest).
            try s.upsert(PayrollUnit(unitID: "U1", name: "青山小学", payrollDay: 10, contactName: "李老师", contactMobile: payrollContact))
            return .commit(summary: "fixture")
        }
    }
}
