import FurrowCore

/// The rows of a range of customers for every per-customer file. Each customer draws from its
/// own random stream, so chunks can be written on any thread in any order.
struct DemoChunk {
    var files: [CSVBytes]
    var rows: [Int]

    init(customers: Int) {
        files = DemoFile.allCases.map { f in
            let perCustomer: Int
            switch f {
            case .customers: perCustomer = 230
            case .accounts: perCustomer = 140
            case .monthlyBalances: perCustomer = 420
            case .transactions: perCustomer = 400
            case .assignments: perCustomer = 30
            case .relations, .interactions, .loanSchedule: perCustomer = 30
            default: perCustomer = 4
            }
            return CSVBytes(capacity: customers * perCustomer)
        }
        rows = Array(repeating: 0, count: DemoFile.allCases.count)
    }

    /// The buffer of `f`, moved out (so appending does not copy it); put it back with the subscript.
    mutating func take(_ f: DemoFile) -> CSVBytes {
        let b = files[f.rawValue]
        files[f.rawValue] = CSVBytes(capacity: 0)
        return b
    }

    subscript(_ f: DemoFile) -> CSVBytes {
        get { files[f.rawValue] }
        set { files[f.rawValue] = newValue }
    }
}

private struct DemoAccount {
    var seq: Int
    var product: Int
    var opened: Int
    var maturity: Int   // -1 none
    var balance: Int64
    var status: UInt8   // 0 active, 1 dormant, 2 closed
    var original: Int64 = 0
}

private struct PendingTxn {
    var at: Int
    var order: Int
    var account: Int
    var amount: Int64
    var kind: TransactionKind
    var channel: TransactionChannel
    /// 0 none, 1 the customer, 2 the payroll unit, 3 the township government,
    /// 100+k cooperative k, 200+k merchant k, 300+k employer k.
    var counterparty: Int
    var bank: Int       // -1 none
    var unit: Int       // -1 none
    var memo: DemoCatalog.Memo?
}

private let kindBytes: [TransactionKind: [UInt8]] = Dictionary(uniqueKeysWithValues: TransactionKind.allCases.map { ($0, $0.rawValue.u8) })
private let channelBytes: [TransactionChannel: [UInt8]] = Dictionary(uniqueKeysWithValues: TransactionChannel.allCases.map { ($0, $0.rawValue.u8) })
private let interactionChannels: [[UInt8]] = ["visit", "call", "wechat", "sms", "event"].map(\.u8)
private let complaintChannels: [[UInt8]] = ["phone", "counter", "online", "regulator", "other"].map(\.u8)
private let severities: [[UInt8]] = ["low", "medium", "high"].map(\.u8)
private let kindNames: [[UInt8]] = ["individual", "farmer", "individual_business", "micro_enterprise"].map(\.u8)
private let channelsOfAcquisition: [[UInt8]] = ["walk_in", "online", "event", "other"].map(\.u8)
private let riskCumulative = cumulativeWeights([10, 30, 35, 18, 7])
private let statusNames: [[UInt8]] = ["active", "dormant", "closed"].map(\.u8)
private let relationSpouse: [UInt8] = "spouse".u8, relationParent: [UInt8] = "parent".u8,
            relationChild: [UInt8] = "child".u8, relationOwner: [UInt8] = "owner_of".u8,
            relationGuarantor: [UInt8] = "guarantor_for".u8
private let premiumOccupations: Set<[UInt8]> = Set(["教师", "医生", "公务员", "护士"].map(\.u8))

extension DemoWorld {
    func customerID(_ i: Int) -> (UInt8, Int, Int) { (67, i + 1, 8) }

    func enterpriseName(_ i: Int) -> [UInt8] {
        let p = plan[i]
        return DemoPlaces.companyPrefix[Int(p.houseNo) % DemoPlaces.companyPrefix.count]
            + DemoPlaces.tradeNames[Int(p.surname)] + DemoPlaces.trades[Int(p.region)]
            + DemoPlaces.companyForms[Int(p.houseNo) / 4 % DemoPlaces.companyForms.count]
    }

    func staffIDBytes(_ staffIndex: Int, into b: inout CSVBytes) {
        b.id(83, staffIndex + 1, width: staffIDWidth)
    }

    func monthIndex(ofDay d: Int) -> Int {
        var k = 0
        while k < 11 && monthStart[k + 1] <= d { k += 1 }
        return k
    }

    // swiftlint:disable:next function_body_length cyclomatic_complexity
    func writeChunk(_ range: Range<Int>) -> DemoChunk {
        var out = DemoChunk(customers: range.count)
        var name: [UInt8] = []
        name.reserveCapacity(64)
        var accounts: [DemoAccount] = []
        accounts.reserveCapacity(16)
        var txns: [PendingTxn] = []
        txns.reserveCapacity(64)
        let window = asOfDay - 90

        for i in range {
            var r = DemoRandom(seed: seed, stream: 10, index: i)
            let p = plan[i]
            let cno = i + 1
            let isPerson = p.kind != DemoKind.enterprise
            let opened = Int(p.openedDay)
            let place = DemoPlaces.places[Int(p.place)]
            let birth = CalendarDate(dayNumber: Int(p.birthDay))
            let age = isPerson ? birth.age(on: asOf) : 0
            let unit: PayrollUnitDef? = p.unit >= 0 ? units[Int(p.unit)] : nil

            // Name.
            name.removeAll(keepingCapacity: true)
            if !isPerson {
                name.append(contentsOf: enterpriseName(i))
            } else if p.has(DemoBits.foreign) {
                name.append(contentsOf: DemoNames.foreignNames[r.below(DemoNames.foreignNames.count)])
            } else {
                name.append(contentsOf: DemoNames.surnames[Int(p.surname)])
                let pool = DemoNames.pool(male: p.isMale, birthYear: birth.year)
                let single = r.chance(birth.year < 1970 ? 300 : 180)
                let surname = DemoNames.surnames[Int(p.surname)]
                var first = pool[r.below(pool.count)]
                if first == surname { first = pool[r.below(pool.count)] }
                name.append(contentsOf: first)
                if p.has(DemoBits.rareName) {
                    name.append(contentsOf: DemoNames.rare)
                } else if !single {
                    var second = pool[r.below(pool.count)]
                    if second == first || second == surname { second = pool[r.below(pool.count)] }
                    if second == first { second = pool[(r.below(pool.count - 1) + 1 + pool.firstIndex(of: first)!) % pool.count] }
                    name.append(contentsOf: second)
                }
            }

            // Risk assessment.
            var risk = 0
            if r.chance(p.band >= 3 ? 920 : 250) { risk = 1 + r.weighted(riskCumulative) }
            func ensureRisk() { if risk == 0 { risk = 2 + r.below(2) } }

            // Balances: `end` is the AUM on the extract date, split among the holdings.
            let target = p.aum
            var end: Int64 = 0
            if p.band > 0 {
                let noise: Int
                switch p.trend {
                case DemoTrend.rising, DemoTrend.inflow: noise = r.int(0, 40)
                case DemoTrend.falling: noise = -r.int(0, 40)
                default: noise = r.int(-20, 20)
                }
                end = max(1, target + target * Int64(noise) / 1000)
            }
            accounts.removeAll(keepingCapacity: true)
            let mainProduct = !isPerson ? DemoCatalog.demandCorporate
                : (p.kind == DemoKind.farmer && r.chance(400) ? DemoCatalog.demandSocial : DemoCatalog.demand)
            let mainStatus: UInt8 = p.band == 0 && p.trend != DemoTrend.churnedOut && r.chance(450) && p.unit < 0 ? 1 : 0
            accounts.append(DemoAccount(seq: 0, product: mainProduct, opened: opened, maturity: -1, balance: 0, status: mainStatus))

            func dayInHistory(notBefore: Int, maxBack: Int) -> Int {
                let lo = max(notBefore, asOfDay - maxBack)
                return lo >= asOfDay ? asOfDay : r.int(lo, asOfDay)
            }
            func addTermHolding(_ product: Int, _ amount: Int64) {
                let def = DemoCatalog.products[product]
                var acct = DemoAccount(seq: accounts.count, product: product, opened: 0, maturity: -1, balance: amount, status: 0)
                if def.termDays > 0 && def.termDays <= 1825 {
                    let maturity = asOfDay + (r.chance(80) ? r.int(1, 10) : r.int(11, 365))
                    var start = maturity - def.termDays
                    var mat = maturity
                    if start < opened {
                        start = dayInHistory(notBefore: opened, maxBack: def.termDays)
                        mat = start + def.termDays
                        if mat <= asOfDay { mat = asOfDay + r.int(1, 60); start = max(opened, mat - def.termDays) }
                    }
                    acct.opened = start
                    acct.maturity = mat
                } else {
                    acct.opened = dayInHistory(notBefore: opened, maxBack: 5 * 365)
                    if def.termDays > 0 { acct.maturity = acct.opened + def.termDays }
                }
                accounts.append(acct)
            }

            if p.band >= 3 {
                let roundTo: Int64 = p.band == 3 ? 10_000 : (p.band <= 5 ? 100_000 : 1_000_000)
                var plans: [(Int, Int)] = []   // (product, weight)
                func riskOK(_ product: Int) -> Bool { DemoCatalog.products[product].risk <= max(1, risk) }
                func pickProduct(_ list: [Int]) -> Int? {
                    let ok = list.filter(riskOK)
                    return ok.isEmpty ? nil : ok[r.below(ok.count)]
                }
                switch p.band {
                case 3:
                    if r.chance(400) { plans.append((DemoCatalog.timeDeposits[r.below(3) + 1], r.int(50, 80))) }
                case 4, 5:
                    if r.chance(700) { plans.append((r.pick(DemoCatalog.timeDeposits), r.int(40, 70))) }
                    if r.chance(300) { ensureRisk(); if let w = pickProduct(DemoCatalog.wealth) { plans.append((w, r.int(10, 30))) } }
                    if r.chance(100) { plans.append((r.pick(DemoCatalog.bonds.filter(riskOK)), r.int(10, 20))) }
                    if r.chance(100) { plans.append((DemoCatalog.insurance[r.below(DemoCatalog.insurance.count)], r.int(5, 15))) }
                default:
                    ensureRisk()
                    let deposits = r.chance(900) ? 1 + r.below(2) : 0
                    for _ in 0..<deposits { plans.append((r.pick(DemoCatalog.timeDeposits), r.int(20, 50))) }
                    if end >= 40_000_000 && r.chance(500) { plans.append((r.pick(DemoCatalog.largeDeposits), r.int(30, 50))) }
                    if r.chance(700) {
                        for _ in 0..<(1 + r.below(2)) { if let w = pickProduct(DemoCatalog.wealth) { plans.append((w, r.int(15, 40))) } }
                    }
                    if r.chance(500), let f = pickProduct(DemoCatalog.funds) { plans.append((f, r.int(5, 25))) }
                    if r.chance(300) { plans.append((r.pick(DemoCatalog.bonds.filter(riskOK)), r.int(10, 25))) }
                    if r.chance(400) && isPerson { plans.append((DemoCatalog.insurance[r.below(3)], r.int(5, 20))) }
                }
                let demandWeight = p.band <= 5 ? r.int(15, 40) : r.int(8, 25)
                let total = plans.reduce(demandWeight) { $0 + $1.1 }
                var allocated: Int64 = 0
                for (product, w) in plans {
                    let amount = end * Int64(w) / Int64(total) / roundTo * roundTo
                    guard amount > 0 else { continue }
                    allocated += amount
                    addTermHolding(product, amount)
                }
                accounts[0].balance = end - allocated
            } else {
                accounts[0].balance = end
            }
            if isPerson && r.chance(250) {
                // An old passbook: dormant with a few yuan, or closed.
                let small = min(accounts[0].balance, Int64(r.int(0, 5_000)))
                let closed = small == 0 || r.chance(400)
                accounts[0].balance -= closed ? 0 : small
                accounts.append(DemoAccount(seq: accounts.count, product: DemoCatalog.demand,
                                            opened: dayInHistory(notBefore: opened, maxBack: 20 * 365), maturity: -1,
                                            balance: closed ? 0 : small, status: closed ? 2 : 1))
            }
            let assetCount = accounts.count

            // Liabilities.
            var loanIndex = -1
            var mortgage = false
            do {
                var product = -1, lo: Int64 = 0, hi: Int64 = 0
                switch p.kind {
                case DemoKind.farmer where r.chance(150):
                    product = r.chance(700) ? DemoCatalog.farmerLoan : DemoCatalog.startupLoan; lo = 3_000_000; hi = 30_000_000
                case DemoKind.business where r.chance(350):
                    product = DemoCatalog.businessLoan; lo = 5_000_000; hi = 100_000_000
                case DemoKind.enterprise where r.chance(500):
                    product = DemoCatalog.enterpriseLoan; lo = 20_000_000; hi = 300_000_000
                case DemoKind.individual where (25...50).contains(age) && r.chance(60):
                    product = DemoCatalog.mortgage; lo = 20_000_000; hi = 120_000_000; mortgage = true
                case DemoKind.individual where r.chance(40):
                    product = DemoCatalog.consumerLoan; lo = 1_000_000; hi = 20_000_000
                default: break
                }
                if product >= 0 {
                    let def = DemoCatalog.products[product]
                    var start: Int, maturity: Int
                    if def.termDays > 3 * 365 {
                        start = dayInHistory(notBefore: opened, maxBack: 3650)
                        maturity = start + def.termDays
                    } else {
                        maturity = asOfDay + r.int(20, def.termDays - 5)
                        start = maturity - def.termDays
                        if start < opened { start = opened + r.below(max(1, min(30, asOfDay - opened))); maturity = start + def.termDays }
                    }
                    let original = r.int64(lo, hi) / 100_000 * 100_000
                    var owed = original
                    if def.termDays > 365 {
                        let totalMonths = def.termDays / 30, left = max(1, (maturity - asOfDay) / 30)
                        owed = original * Int64(left) / Int64(totalMonths) / 100 * 100
                    }
                    loanIndex = accounts.count
                    var acct = DemoAccount(seq: accounts.count, product: product, opened: start, maturity: maturity,
                                           balance: max(owed, 100), status: 0)
                    acct.original = original
                    accounts.append(acct)
                }
            }
            if isPerson && !p.has(DemoBits.deceased) && r.chance(p.band >= 6 ? 350 : (p.band >= 2 ? 120 : 40)) {
                let card = p.band >= 7 ? DemoCatalog.cards[2] : (p.band >= 5 ? DemoCatalog.cards[1] : DemoCatalog.cards[0])
                accounts.append(DemoAccount(seq: accounts.count, product: card, opened: dayInHistory(notBefore: opened, maxBack: 8 * 365),
                                            maturity: -1, balance: r.chance(300) ? 0 : r.int64(1_000, 3_000_000), status: 0))
            }

            // Acquisition.
            var channel: [UInt8] = []
            var referrer = -1
            if unit != nil { channel = "payroll".u8 }
            else if mortgage && r.chance(600) { channel = "mortgage".u8 }
            else if i > 0 && r.chance(80) {
                let j = max(0, i - 3000) + r.below(min(i, 3000))
                if plan[j].openedDay <= p.openedDay { referrer = j; channel = "referral".u8 } else { channel = "walk_in".u8 }
            } else if !r.chance(120) {
                channel = channelsOfAcquisition[r.weighted([60, 78, 92, 100])]
            }

            // customers.csv
            do {
                var b = out.take(.customers)
                b.id(67, cno, width: 8); b.comma()
                b.field(name); b.comma()
                b.raw(kindNames[Int(p.kind)]); b.comma()
                if isPerson { b.byte(p.isMale ? 77 : 70) }; b.comma()
                if isPerson { b.date(Int(p.birthDay)) }; b.comma()
                if !isPerson {
                    b.raw("uscc"); b.comma()
                    b.raw(UnifiedSocialCreditCode.make(registrationDept: "9", orgType: "1",
                                                       region: opened >= 17_167 ? "330112" : "330185",
                                                       orgCode8: DemoPlanner.eightDigits(i, key: seed)))
                } else if p.has(DemoBits.foreign) {
                    b.raw("passport"); b.comma()
                    b.id(67, 1_000_000 + i % 9_000_000, width: 7)
                } else {
                    b.raw("resident_id"); b.comma()
                    b.raw(ResidentID.make(region: DemoPlaces.regionList[Int(p.region)].0, birthDate: birth,
                                          sequence: Int(p.idSequence), gender: p.isMale ? .male : .female))
                }
                b.comma()
                if r.chance(isPerson ? (age >= 75 ? 800 : 960) : 850) {
                    b.raw(DemoPlanner.mobile(&r, index: i))
                }
                b.comma()
                if !r.chance(30) {
                    b.raw(DemoPlaces.addressPrefix); b.raw(place.township)
                    if place.urban {
                        b.raw(DemoPlaces.roads[(Int(p.houseNo) * 7 + Int(p.place)) % DemoPlaces.roads.count])
                        b.int(Int(p.houseNo)); b.raw("号")
                        if isPerson { b.int(1 + Int(p.houseNo) % 12); b.raw("幢"); b.int(101 + (Int(p.houseNo) * 37 + i / 7) % 18 * 100 + Int(p.houseNo) % 4); b.raw("室") }
                    } else {
                        b.raw(isPerson ? place.village : "工业功能区".u8)
                        b.int(Int(p.houseNo)); b.raw("号")
                    }
                }
                b.comma()
                b.raw(place.township); b.raw(place.village); b.comma()
                var occupation: [UInt8] = []
                var employer: [UInt8] = []
                if isPerson {
                    if let unit {
                        occupation = unit.occupation; employer = unit.name
                    } else if p.role == DemoRole.owner && p.kind != DemoKind.business {
                        occupation = DemoCatalog.occupationOwner; employer = enterpriseName(i + 1)
                    } else if p.kind == DemoKind.business {
                        occupation = DemoCatalog.occupationBusiness
                        employer = DemoPlaces.tradeNames[r.below(DemoPlaces.tradeNames.count)] + DemoPlaces.shops[r.below(DemoPlaces.shops.count)]
                    } else if p.kind == DemoKind.farmer {
                        if !r.chance(100) { occupation = DemoCatalog.occupationsFarm[r.below(DemoCatalog.occupationsFarm.count)] }
                    } else if age >= 60 && r.chance(600) {
                        occupation = DemoCatalog.occupationRetired
                    } else if !r.chance(180) {
                        occupation = DemoCatalog.occupationsTown[r.below(DemoCatalog.occupationsTown.count)]
                        if r.chance(300) { employer = DemoPlaces.employers[r.below(DemoPlaces.employers.count)] }
                    }
                }
                b.field(occupation); b.comma()
                b.field(employer); b.comma()
                if !r.chance(120) {
                    let premium = (unit?.premium ?? false) || premiumOccupations.contains(occupation)
                        || (p.band >= 6 && (p.role == DemoRole.owner || !isPerson || p.kind == DemoKind.business))
                    b.raw(premium ? "premium" : "ordinary")
                }
                b.comma()
                if risk > 0 {
                    b.byte(67); b.int(risk); b.comma()
                    b.date(max(opened, asOfDay - r.below(425)))
                } else { b.comma() }
                b.comma()
                b.raw(channel); b.comma()
                if referrer >= 0 { b.id(67, referrer + 1, width: 8) }
                b.comma()
                b.date(opened); b.comma()
                if p.has(DemoBits.aml) && p.has(DemoBits.deceased) { b.raw("aml_watch;deceased") }
                else if p.has(DemoBits.aml) { b.raw("aml_watch") }
                else if p.has(DemoBits.deceased) { b.raw("deceased") }
                b.newline()
                out[.customers] = b
                out.rows[DemoFile.customers.rawValue] += 1
            }

            // relations.csv
            do {
                var b = out.take(.relations)
                var n = 0
                func rel(_ a: Int, _ c: Int, _ kind: [UInt8]) {
                    b.id(67, a + 1, width: 8); b.comma(); b.id(67, c + 1, width: 8); b.comma(); b.raw(kind); b.newline(); n += 1
                }
                let head = Int(p.head)
                switch p.role {
                case DemoRole.spouse: rel(i, head, relationSpouse); rel(head, i, relationSpouse)
                case DemoRole.child:
                    rel(i, head, relationChild); rel(head, i, relationParent)
                    if p.headSpouse >= 0 { rel(i, Int(p.headSpouse), relationChild); rel(Int(p.headSpouse), i, relationParent) }
                case DemoRole.parent: rel(i, head, relationParent); rel(head, i, relationChild)
                case DemoRole.enterprise: rel(head, i, relationOwner)
                default: break
                }
                if loanIndex >= 0 && i > 10 && r.chance(300) {
                    let g = i - 1 - r.below(min(i - 1, 200))
                    if g != Int(p.head) && plan[g].kind != DemoKind.enterprise { rel(g, i, relationGuarantor) }
                }
                out[.relations] = b
                out.rows[DemoFile.relations.rawValue] += n
            }

            // Transactions (gathered, then written in time order).
            txns.removeAll(keepingCapacity: true)
            var order = 0
            func txn(_ day: Int, _ second: Int, _ account: Int, _ amount: Int64, _ kind: TransactionKind,
                     _ channel: TransactionChannel, cp: Int = 0, bank: Int = -1, unit: Int = -1, memo: DemoCatalog.Memo? = nil) {
                guard day <= asOfDay, day >= opened, amount != 0 else { return }
                order += 1
                txns.append(PendingTxn(at: day * 86_400 + second, order: order, account: account, amount: amount, kind: kind,
                                       channel: channel, counterparty: cp, bank: bank, unit: unit, memo: memo))
            }
            let demandBalance = max(accounts[0].balance, 0)
            func everyday(_ count: Int) {
                let scale = max(end, 5_000)
                for _ in 0..<count {
                    let day = r.int(max(window, opened), asOfDay)
                    let sec = r.int(7 * 3600, 21 * 3600)
                    var amount = max(1_000, scale * Int64(r.int(10, 200)) / 1000 / 1_000 * 1_000)
                    if end < 10_000 { amount = Int64(r.int(5, 60)) * 100 }
                    switch r.below(6) {
                    case 0: txn(day, sec, 0, amount, .deposit, .counter, memo: .deposit)
                    case 1: txn(day, sec, 0, -amount, .withdrawal, .atm, memo: .atm)
                    case 2: txn(day, sec, 0, -amount, .transferOut, .mobile, cp: 1, bank: r.below(DemoPlaces.otherBanks.count), memo: .transfer)
                    case 3: txn(day, sec, 0, min(-100, -amount / 10), .withdrawal, .pos, cp: 200 + r.below(DemoPlaces.merchants.count), memo: .pos)
                    case 4: txn(day, sec, 0, amount, .transferIn, .transfer, cp: 1, bank: r.below(DemoPlaces.otherBanks.count), memo: .transfer)
                    default: txn(day, sec, 0, -amount / 5, .transferOut, .mobile, cp: 200 + r.below(DemoPlaces.merchants.count), memo: .online)
                    }
                }
            }
            if let unit {
                // Twelve payroll credits; the tide customers send each one to another bank within two days.
                let salary = unit.salaryFen * Int64(r.int(60, 180)) / 100 / 100 * 100
                let tideBank = r.below(DemoPlaces.otherBanks.count)
                var collected = 0, back = 0
                while collected < 12 && back < 14 {
                    let ym = asOf.year * 12 + asOf.month - 1 - back
                    let y = ym / 12, m = ym % 12 + 1
                    back += 1
                    let day = CalendarDate(year: y, month: m, day: min(unit.payDay, CalendarDate.daysIn(month: m, year: y)))!.dayNumber
                    if day > asOfDay { continue }
                    if day < opened { break }
                    collected += 1
                    var pay = salary + salary * Int64(r.int(-30, 30)) / 1000
                    if m == 1 { pay *= 2 }
                    txn(day, unit.batchSecond, 0, pay, .payroll, .batch, cp: 2, unit: unit.id, memo: m == 1 ? .payrollBonus : .payroll)
                    if p.has(DemoBits.tide) {
                        let d2 = day + r.below(3)
                        let sec = d2 == day ? r.int(unit.batchSecond + 600, 22 * 3600) : r.int(7 * 3600, 22 * 3600)
                        txn(d2, sec, 0, -(pay * Int64(r.int(95, 100)) / 100 / 10_000 * 10_000), .transferOut, .mobile,
                            cp: 1, bank: tideBank, memo: .transfer)
                    }
                }
                if !p.has(DemoBits.tide) { everyday(1 + r.below(3)) }
            } else {
                switch p.band {
                case 0: if p.trend == DemoTrend.churnedOut || r.chance(150) { everyday(1) }
                case 1: everyday(r.below(2))
                case 2: everyday(1 + r.below(2))
                case 3, 4, 5: everyday(2 + r.below(3))
                default: everyday(3 + r.below(3))
                }
            }
            if p.band >= 3 {
                // Quarterly interest on demand deposits, credited on the 21st of Mar, Jun, Sep, Dec.
                var y = asOf.year, m = asOf.month - (asOf.month % 3)
                if m == 0 { m = 12; y -= 1 }
                var day = CalendarDate(year: y, month: m, day: 21)!.dayNumber
                if day > asOfDay { m -= 3; if m <= 0 { m += 12; y -= 1 }; day = CalendarDate(year: y, month: m, day: 21)!.dayNumber }
                if day >= window { txn(day, 2 * 3600, 0, demandBalance / 8_000, .interest, .batch, memo: .interest) }
            }
            if p.inflow > 0 {
                let earliest = max(window, opened)
                let day = earliest >= asOfDay - 5 ? asOfDay : r.int(earliest, asOfDay - 5)
                if p.has(DemoBits.demolition) {
                    txn(day, r.int(9 * 3600, 16 * 3600), 0, p.inflow, .transferIn, .transfer, cp: 3, memo: .demolition)
                } else {
                    let coop = r.below(DemoPlaces.cooperatives.count)
                    txn(day, r.int(9 * 3600, 17 * 3600), 0, p.inflow, .transferIn, .transfer, cp: 100 + coop,
                        memo: coop == 1 ? .tea : (coop == 3 ? .bambooShoot : .hickory))
                }
            }
            for k in 1..<assetCount {
                let a = accounts[k]
                let type = DemoCatalog.products[a.product].type
                if a.opened >= window && (type == .wealth || type == .fund || type == .bond || type == .timeDeposit) {
                    txn(a.opened, r.int(9 * 3600, 16 * 3600), 0, -a.balance, .purchase, r.chance(500) ? .mobile : .counter, memo: .buyProduct)
                }
            }
            if p.band >= 4 && r.chance(300) {
                let day = r.int(max(window, opened), asOfDay)
                txn(day, 3600, 0, max(end / 10 / 100_000 * 100_000, 100_000), .redemption, .batch, memo: .redeem)
            }
            if loanIndex >= 0 {
                let loan = accounts[loanIndex]
                let def = DemoCatalog.products[loan.product]
                if loan.opened >= window {
                    txn(loan.opened, r.int(9 * 3600, 16 * 3600), 0, loan.original, .loanDisbursement, .transfer, memo: .loanDisburse)
                }
                let dueDay = min(28, CalendarDate(dayNumber: loan.opened).day)
                for back in 0..<3 {
                    let ym = asOf.year * 12 + asOf.month - 1 - back
                    let day = CalendarDate(year: ym / 12, month: ym % 12 + 1, day: dueDay)!.dayNumber
                    guard day > loan.opened, day >= window else { continue }
                    var pay = loan.balance * Int64(def.rateBasisPoints) / 120_000
                    if def.termDays > 365 { pay += loan.balance / Int64(max(1, (loan.maturity - day) / 30)) }
                    txn(day, 6 * 3600, 0, -pay, .loanRepayment, .transfer, memo: .loanRepay)
                }
            }
            if txns.count > 1 {
                txns.sort { $0.at != $1.at ? $0.at < $1.at : $0.order < $1.order }
            }
            do {
                var b = out.take(.transactions)
                for (k, t) in txns.enumerated() {
                    b.id(84, cno * 10_000 + k + 1, width: 12); b.comma()
                    b.id(65, cno * 100 + t.account, width: 10); b.comma()
                    b.timestamp(day: t.at / 86_400, second: t.at % 86_400); b.comma()
                    b.yuan(t.amount); b.comma()
                    b.raw(kindBytes[t.kind]!); b.comma()
                    b.raw(channelBytes[t.channel]!); b.comma()
                    switch t.counterparty {
                    case 1: b.field(name)
                    case 2: b.field(unit?.name ?? [])
                    case 3:
                        b.raw("杭州市临安区"); b.raw(place.township)
                        if place.urban { b.raw("办事处") } else { b.raw("人民政府") }
                    case 100..<200: b.field(DemoPlaces.cooperatives[t.counterparty - 100])
                    case 200..<300: b.field(DemoPlaces.merchants[t.counterparty - 200])
                    default: break
                    }
                    b.comma()
                    if t.bank >= 0 { b.raw(DemoPlaces.otherBanks[t.bank]) }
                    b.comma()
                    if t.unit >= 0 { b.id(80, t.unit, width: 4) }
                    b.comma()
                    if let memo = t.memo { b.raw(DemoCatalog.memos[memo.rawValue]) }
                    b.newline()
                }
                out[.transactions] = b
                out.rows[DemoFile.transactions.rawValue] += txns.count
            }

            // accounts.csv and loan_schedule.csv
            do {
                var b = out.take(.accounts)
                for a in accounts {
                    let def = DemoCatalog.products[a.product]
                    b.id(65, cno * 100 + a.seq, width: 10); b.comma()
                    b.id(67, cno, width: 8); b.comma()
                    b.raw(def.code); b.comma()
                    b.date(a.opened == 0 ? opened : a.opened); b.comma()
                    if a.maturity >= 0 { b.date(a.maturity) }
                    b.comma()
                    b.yuan(a.balance); b.comma()
                    b.raw(statusNames[Int(a.status)]); b.comma()
                    b.raw(def.rate)
                    b.newline()
                }
                out[.accounts] = b
                out.rows[DemoFile.accounts.rawValue] += accounts.count
            }
            if loanIndex >= 0 {
                let loan = accounts[loanIndex]
                let def = DemoCatalog.products[loan.product]
                var b = out.take(.loanSchedule)
                var remaining = loan.balance
                let dueDay = min(28, CalendarDate(dayNumber: loan.opened).day)
                var rows = 0
                for ahead in 0..<13 where rows < 12 && remaining > 0 {
                    let ym = asOf.year * 12 + asOf.month - 1 + ahead
                    var day = CalendarDate(year: ym / 12, month: ym % 12 + 1, day: dueDay)!.dayNumber
                    guard day > asOfDay else { continue }
                    let last = day >= loan.maturity
                    if last { day = loan.maturity }
                    let interest = remaining * Int64(def.rateBasisPoints) / 120_000
                    var principal: Int64 = 0
                    if last {
                        principal = remaining
                    } else if def.termDays > 365 {
                        principal = remaining / Int64(max(1, (loan.maturity - day) / 30 + 1))
                    }
                    b.id(65, cno * 100 + loan.seq, width: 10); b.comma()
                    b.date(day); b.comma()
                    b.yuan(principal); b.comma()
                    b.yuan(interest); b.newline()
                    remaining -= principal
                    rows += 1
                    if last { break }
                }
                out[.loanSchedule] = b
                out.rows[DemoFile.loanSchedule.rawValue] += rows
            }

            // monthly_balances.csv: 12 months to the extract month, from the month of opening.
            do {
                var b = out.take(.monthlyBalances)
                let a = Double(target)
                let d = p.trend == DemoTrend.falling ? 0.3 + 2.7 * r.unit() * r.unit() : 0.15 + 1.0 * r.unit()
                let step = r.int(3, 10)
                let stepFactor = 1.5 + 2.5 * r.unit()
                let prior = Double(r.int64(10_000, 2_000_000))
                var inflowMonth = 12
                if p.inflow > 0 {
                    for t in txns where t.memo == .demolition || t.memo == .hickory || t.memo == .tea || t.memo == .bambooShoot {
                        inflowMonth = monthIndex(ofDay: t.at / 86_400)
                    }
                }
                var rows = 0
                for k in 0..<12 {
                    let monthEnd = monthStart[k + 1] - 1
                    guard monthEnd >= opened else { continue }
                    var avg: Int64, close: Int64
                    if k == 11 {
                        avg = target; close = end
                    } else {
                        let t = Double(11 - k) / 11.0
                        var level: Double
                        switch p.trend {
                        case DemoTrend.rising: level = a / (1 + d * t)
                        case DemoTrend.falling: level = a * (1 + d * t)
                        case DemoTrend.step: level = k < step ? a * stepFactor : a
                        case DemoTrend.churnedOut: level = k < step ? prior : 0
                        case DemoTrend.inflow: level = k < inflowMonth ? max(0, a - Double(p.inflow)) : a
                        default: level = a
                        }
                        if p.band == 0 && p.trend != DemoTrend.churnedOut { level = 0 }
                        avg = Int64(level * (0.99 + 0.02 * r.unit()))
                        close = Int64(level * (0.97 + 0.06 * r.unit()))
                        if p.trend == DemoTrend.churnedOut && k == step - 1 { close = 0 }
                        if p.trend == DemoTrend.inflow && k == inflowMonth { close = Int64(a * (0.98 + 0.03 * r.unit())) }
                    }
                    if monthStart[k] < opened && opened <= monthEnd && k < 11 {
                        avg = avg * Int64(monthEnd - opened + 1) / Int64(monthEnd - monthStart[k] + 1)
                    }
                    b.id(67, cno, width: 8); b.comma()
                    b.padded(monthYear[k], width: 4); b.byte(45); b.padded(monthNumber[k], width: 2); b.comma()
                    b.yuan(max(0, avg)); b.comma()
                    b.yuan(max(0, close)); b.newline()
                    rows += 1
                }
                out[.monthlyBalances] = b
                out.rows[DemoFile.monthlyBalances.rawValue] += rows
            }

            // assignments.csv
            let currentRM = rmStaff[Int(p.rm)]
            var firstRM = currentRM
            let since = max(opened, historyStart)
            var changedOn = Int.max
            do {
                var b = out.take(.assignments)
                var rows = 1
                if p.has(DemoBits.reassigned) && asOfDay - since > 45 {
                    firstRM = r.chance(600) ? formerRM : rmStaff[r.below(rmStaff.count)]
                    if firstRM == currentRM { firstRM = formerRM }
                    changedOn = since + 15 + r.below(asOfDay - since - 30)
                    b.id(67, cno, width: 8); b.comma(); staffIDBytes(firstRM, into: &b); b.comma(); b.date(since); b.newline()
                    b.id(67, cno, width: 8); b.comma(); staffIDBytes(currentRM, into: &b); b.comma(); b.date(changedOn); b.newline()
                    rows = 2
                } else {
                    b.id(67, cno, width: 8); b.comma(); staffIDBytes(currentRM, into: &b); b.comma(); b.date(since); b.newline()
                }
                out[.assignments] = b
                out.rows[DemoFile.assignments.rawValue] += rows
            }

            // surveys.csv
            if p.surveyNo > 0 {
                var b = out.take(.surveys)
                b.id(82, Int(p.surveyNo), width: 8); b.comma()
                if !p.has(DemoBits.anonymousSurvey) { b.id(67, cno, width: 8) }
                b.comma()
                b.date(max(opened, asOfDay - r.below(180))); b.comma()
                let mood = r.below(10)   // a few unhappy customers mark everything low
                for _ in 0..<4 {
                    if r.chance(880) {
                        let score = mood == 0 ? 1 + r.below(3) : 5 - r.weighted(cumulativeWeights([50, 33, 11, 4, 2]))
                        b.int(score)
                    }
                    b.comma()
                }
                if r.chance(950) {
                    b.int(mood == 0 ? r.below(7) : 10 - r.weighted(cumulativeWeights([27, 22, 21, 12, 6, 4, 3, 2, 1, 1, 1])))
                }
                b.newline()
                out[.surveys] = b
                out.rows[DemoFile.surveys.rawValue] += 1
            }

            // complaints.csv
            if p.complaintNo > 0 {
                var b = out.take(.complaints)
                let cat = r.below(DemoCatalog.complaintCategories.count)
                b.id(75, Int(p.complaintNo), width: 8); b.comma()
                b.id(67, cno, width: 8); b.comma()
                b.timestamp(day: max(opened, asOfDay - r.below(180)), second: r.int(8 * 3600, 20 * 3600)); b.comma()
                b.raw(complaintChannels[r.weighted(cumulativeWeights([50, 25, 15, 5, 5]))]); b.comma()
                b.raw(DemoCatalog.complaintCategories[cat]); b.comma()
                b.raw(severities[r.weighted(cumulativeWeights([60, 30, 10]))]); b.comma()
                b.field(DemoCatalog.complaintTexts[cat]); b.newline()
                out[.complaints] = b
                out.rows[DemoFile.complaints.rawValue] += 1
            }

            // interactions.csv: the RM's contacts with wealth-tier customers and above.
            if p.band >= 6 {
                var b = out.take(.interactions)
                let count = p.band == 8 ? r.int(3, 6) : (p.band == 7 ? r.int(2, 5) : r.int(1, 3))
                var days: [Int] = []
                for _ in 0..<count { days.append(max(opened, asOfDay - r.below(120))) }
                days.sort()
                for (k, day) in days.enumerated() {
                    var staffIndex = day < changedOn ? firstRM : currentRM
                    if p.band == 8 && r.chance(300) { staffIndex = president }
                    else if p.band == 7 && r.chance(200) { staffIndex = leads[staff[currentRM].team == 1 ? 1 : 0] }
                    let ch = r.weighted(cumulativeWeights([30, 40, 25, 3, 2]))
                    b.id(73, cno * 100 + k + 1, width: 10); b.comma()
                    b.id(67, cno, width: 8); b.comma()
                    staffIDBytes(staffIndex, into: &b); b.comma()
                    b.timestamp(day: day, second: ch == 2 ? r.int(8 * 3600, 21 * 3600) : r.int(9 * 3600, 18 * 3600)); b.comma()
                    b.raw(interactionChannels[ch]); b.comma()
                    b.field(DemoCatalog.purposes[r.below(DemoCatalog.purposes.count)]); b.comma()
                    b.field(DemoCatalog.notes[r.below(DemoCatalog.notes.count)]); b.comma()
                    b.field(DemoCatalog.outcomes[r.below(DemoCatalog.outcomes.count)]); b.newline()
                }
                out[.interactions] = b
                out.rows[DemoFile.interactions.rawValue] += count
            }
        }
        return out
    }
}
