import FurrowCore

/// The sequential pass that decides who the customers are and how they relate (households,
/// owners, RMs, payroll units, tiers), then the staff and the payroll units.
enum DemoPlanner {
    static let minimumAge = 18

    static func makeWorld(customers n: Int, seed: UInt64, asOf: CalendarDate) -> (DemoWorld, DemoBranchSummary.Highlights) {
        let asOfDay = asOf.dayNumber
        var monthStart: [Int] = [], monthYear: [Int] = [], monthNumber: [Int] = []
        for k in 0..<12 {
            let ym = asOf.year * 12 + asOf.month - 1 - 11 + k
            monthYear.append(ym / 12)
            monthNumber.append(ym % 12 + 1)
            monthStart.append(CalendarDate(year: ym / 12, month: ym % 12 + 1, day: 1)!.dayNumber)
        }
        monthStart.append(asOfDay + 1)

        // Staff: president, two leads, the administrator, the RMs, one RM who left.
        var sr = DemoRandom(seed: seed, stream: 2)
        let rmCount = max(2, (n + 1250) / 2500)
        var staff: [StaffDef] = []
        func staffName() -> [UInt8] {
            var name = DemoNames.surnames[sr.weighted(DemoNames.surnameCumulative)]
            let male = sr.chance(500)
            let pool = DemoNames.pool(male: male, birthYear: 1975 + sr.below(25))
            name += pool[sr.below(pool.count)]
            if sr.chance(750) { name += pool[sr.below(pool.count)] }
            return name
        }
        staff.append(StaffDef(name: staffName(), role: .president, team: -1, active: true))
        staff.append(StaffDef(name: staffName(), role: .lead, team: 0, active: true))
        staff.append(StaffDef(name: staffName(), role: .lead, team: 1, active: true))
        staff.append(StaffDef(name: staffName(), role: .admin, team: -1, active: true))
        var rmStaff: [Int] = []
        for k in 0..<rmCount {
            rmStaff.append(staff.count)
            staff.append(StaffDef(name: staffName(), role: .rm, team: k % 2, active: true))
        }
        let formerRM = staff.count
        staff.append(StaffDef(name: staffName(), role: .rm, team: 0, active: false))

        // Payroll units.
        var ur = DemoRandom(seed: seed, stream: 3)
        let unitCount = max(3, n / 2000)
        var units: [PayrollUnitDef] = []
        var unitNames = Set<[UInt8]>()
        let bureaus = ["教育局", "农业农村局", "市场监督管理局", "住房和城乡建设局", "人力资源和社会保障局", "林业水利局", "财政局", "公安分局"].map(\.u8)
        for u in 0..<unitCount {
            var kind = 0, name: [UInt8] = []
            for attempt in 0..<50 {
                kind = u < 3 ? u : ur.weighted([15, 35, 45, 100])
                let town = DemoPlaces.townshipNames[ur.below(DemoPlaces.townshipNames.count)]
                switch kind {
                case 0:
                    name = "杭州市临安区".u8 + (ur.chance(500) ? town + "人民政府".u8 : bureaus[ur.below(bureaus.count)])
                case 1:
                    name = "杭州市临安区".u8 + town + ur.pick(["中心小学", "初级中学", "中心幼儿园", "成人文化技术学校"].map(\.u8))
                case 2:
                    name = "杭州市临安区".u8 + town + ur.pick(["卫生院", "社区卫生服务中心"].map(\.u8))
                default:
                    name = DemoPlaces.companyPrefix[ur.below(DemoPlaces.companyPrefix.count)]
                        + DemoPlaces.tradeNames[ur.below(DemoPlaces.tradeNames.count)]
                        + DemoPlaces.trades[ur.below(DemoPlaces.trades.count)]
                        + DemoPlaces.companyForms[ur.below(DemoPlaces.companyForms.count)]
                }
                if attempt == 49 { name += "(第\(u + 1)分部)".u8 }
                if unitNames.insert(name).inserted { break }
            }
            let orgCode = eightDigits(90_000_000 + u, key: seed)
            let uscc: String
            switch kind {
            case 0: uscc = UnifiedSocialCreditCode.make(registrationDept: "1", orgType: "1", region: "330112", orgCode8: orgCode)
            case 1, 2: uscc = UnifiedSocialCreditCode.make(registrationDept: "1", orgType: "2", region: "330112", orgCode8: orgCode)
            default: uscc = UnifiedSocialCreditCode.make(registrationDept: "9", orgType: "1", region: "330185", orgCode8: orgCode)
            }
            let salary: Int64 = [9_000, 8_500, 9_500, 5_500][kind] * 100
            let contactPool = DemoNames.pool(male: ur.chance(500), birthYear: 1980)
            units.append(PayrollUnitDef(
                id: u + 1, name: name, uscc: uscc, payDay: [5, 8, 10, 10, 15, 15, 20, 25][ur.below(8)],
                contactSurname: ur.weighted(DemoNames.surnameCumulative),
                contactGiven: [contactPool[ur.below(contactPool.count)], contactPool[ur.below(contactPool.count)]],
                contactMobile: mobile(&ur, index: 90_000_000 + u),
                salaryFen: salary, batchSecond: 9 * 3600 + ur.below(7200), premium: kind < 3,
                occupation: [["公务员", "教师", "医生", "企业职员"][kind].u8, ["公务员", "教师", "护士", "工人"][kind].u8][ur.below(2)]))
        }
        let unitCumulative = cumulativeWeights(units.indices.map { _ in 1 + { let x = ur.below(10); return x * x }() })

        // Customers.
        var r = DemoRandom(seed: seed, stream: 1)
        var plan = [CustomerPlan](repeating: CustomerPlan(), count: n)
        let startDay = CalendarDate(year: 1996, month: 1, day: 1)!.dayNumber
        let lastYearDay = asOfDay - 365
        func indexDay(_ i: Int) -> Int {
            let x = Double(i) / Double(max(n, 1))
            if x < 0.92 { return startDay + Int(x / 0.92 * Double(lastYearDay - startDay)) }
            return lastYearDay + Int((x - 0.92) / 0.08 * Double(asOfDay - lastYearDay))
        }
        let ageBrackets = cumulativeWeights([20, 25, 28, 20, 7])
        let bracketRange = [(18, 29), (30, 44), (45, 59), (60, 74), (75, 92)]
        func randomAge() -> Int {
            let b = bracketRange[r.weighted(ageBrackets)]
            return r.int(b.0, b.1)
        }

        func person(_ i: Int, kind: UInt8, age: Int, male: Bool, surname: Int, place: Int, house: Int,
                    role: UInt8, head: Int = -1) {
            var p = CustomerPlan()
            p.kind = kind
            p.gender = male ? 1 : 2
            p.surname = UInt16(surname)
            p.place = UInt16(place)
            p.houseNo = UInt16(house)
            p.role = role
            p.head = Int32(head)
            var birth = asOfDay - age * 365 - age / 4 - r.below(365)
            var opened = indexDay(i)
            if opened > asOfDay - 30 && r.chance(500) { opened = asOfDay - 30 - r.below(300) }
            if birth + 16 * 365 + 4 > opened { opened = min(asOfDay - r.below(60), birth + 16 * 365 + 4 + r.below(4 * 365)) }
            if opened < birth + 16 * 365 + 4 { birth = opened - 16 * 365 - 4 - r.below(365) }
            p.birthDay = Int32(birth)
            p.openedDay = Int32(opened)
            p.region = UInt8(r.weighted(DemoPlaces.regionCumulative))
            if r.chance(1, outOf: 2500) { p.bits |= DemoBits.rareName }
            if age >= 75 && r.chance(30) { p.bits |= DemoBits.deceased }
            if r.chance(1) { p.bits |= DemoBits.aml }
            plan[i] = p
        }
        func randomPlace() -> Int { r.weighted(DemoPlaces.placeCumulative) }
        func randomSurname() -> Int { r.weighted(DemoNames.surnameCumulative) }

        var i = 0
        while i < n {
            let g = r.below(1000)
            if g < 40 && i + 1 < n {
                // An enterprise right after its owner.
                let place = randomPlace()
                person(i, kind: r.chance(600) ? DemoKind.individual : DemoKind.business, age: r.int(30, 65),
                       male: r.chance(800), surname: randomSurname(), place: place, house: r.int(1, 180), role: DemoRole.owner)
                var e = CustomerPlan()
                e.kind = DemoKind.enterprise
                e.role = DemoRole.enterprise
                e.head = Int32(i)
                e.place = UInt16(place)
                e.houseNo = UInt16(r.int(1, 300))
                e.surname = UInt16(r.below(DemoPlaces.tradeNames.count))   // reused: trade-name index
                e.region = UInt8(r.below(DemoPlaces.trades.count))          // reused: trade index
                e.openedDay = Int32(max(indexDay(i + 1), Int(plan[i].openedDay)))
                plan[i + 1] = e
                i += 2
            } else if g < 260 && i + 1 < n {
                // A household: head, spouse, children or the head's parents, one village, one house.
                let size = min(n - i, [2, 3, 4][r.weighted([55, 85, 100])])
                let place = randomPlace(), house = r.int(1, 180)
                let headKind: UInt8 = [DemoKind.farmer, DemoKind.individual, DemoKind.business][r.weighted([22, 90, 100])]
                let memberKind = headKind == DemoKind.farmer ? DemoKind.farmer : DemoKind.individual
                let headAge = r.int(30, 68), headMale = r.chance(750), headSurname = randomSurname()
                person(i, kind: headKind, age: headAge, male: headMale, surname: headSurname, place: place, house: house,
                       role: DemoRole.head)
                plan[i].householdSize = UInt8(size)
                var next = i + 1
                var spouse = -1
                if r.chance(850) || size == 2 {
                    spouse = next
                    person(next, kind: memberKind, age: max(20, headAge + r.int(-4, 4)), male: !headMale,
                           surname: randomSurname(), place: place, house: house, role: DemoRole.spouse, head: i)
                    if headMale && r.chance(3) { plan[next].bits |= DemoBits.foreign }
                    next += 1
                }
                let fatherSurname = headMale ? headSurname : (spouse >= 0 ? Int(plan[spouse].surname) : headSurname)
                while next < i + size {
                    if headAge >= 42 && !(headAge <= 55 && r.chance(200)) {
                        let age = headAge - r.int(22, min(32, headAge - minimumAge))
                        person(next, kind: memberKind, age: max(minimumAge, age), male: r.chance(500), surname: fatherSurname,
                               place: place, house: house, role: DemoRole.child, head: i)
                        plan[next].headSpouse = Int32(spouse)
                    } else {
                        let male = r.chance(500)
                        person(next, kind: memberKind, age: min(92, headAge + r.int(24, 32)), male: male,
                               surname: male && headMale ? headSurname : randomSurname(),
                               place: place, house: house, role: DemoRole.parent, head: i)
                    }
                    next += 1
                }
                i += size
            } else {
                let kind: UInt8 = [DemoKind.individual, DemoKind.farmer, DemoKind.business][r.weighted([72, 90, 100])]
                person(i, kind: kind, age: randomAge(), male: r.chance(520), surname: randomSurname(),
                       place: randomPlace(), house: r.int(1, 180), role: DemoRole.single)
                i += 1
            }
        }

        // Payroll membership, tiers, trends, surveys, complaints.
        var surveys: Int32 = 0, complaints: Int32 = 0
        for i in 0..<n {
            var p = plan[i]
            let age = (asOfDay - Int(p.birthDay)) / 365
            if p.kind == DemoKind.individual && !p.has(DemoBits.foreign) && !p.has(DemoBits.deceased)
                && (22...58).contains(age) && r.chance(120) {
                p.unit = Int16(r.weighted(unitCumulative))
                if r.chance(150) { p.bits |= DemoBits.tide }
            }
            let weights: [Int]
            if p.kind == DemoKind.enterprise { weights = DemoBands.enterprise }
            else if p.has(DemoBits.tide) { weights = DemoBands.tide }
            else if p.unit >= 0 { weights = DemoBands.payroll }
            else { weights = DemoBands.person }
            p.band = UInt8(r.weighted(weights))
            p.aum = DemoBands.amount(band: Int(p.band), &r)
            if p.band == 0 {
                p.trend = r.chance(250) ? DemoTrend.churnedOut : DemoTrend.stable
            } else {
                p.trend = [DemoTrend.stable, DemoTrend.rising, DemoTrend.falling, DemoTrend.step][r.weighted([55, 75, 95, 100])]
            }
            if p.band >= 6 && p.kind != DemoKind.enterprise && r.chance(40) {
                p.inflow = p.aum * Int64(r.int(40, 80)) / 100 / 100_000 * 100_000
                p.bits |= DemoBits.demolition
                p.trend = DemoTrend.inflow
            } else if p.kind == DemoKind.farmer && (4...6).contains(p.band) && r.chance(250) {
                p.inflow = p.aum * Int64(r.int(30, 60)) / 100 / 10_000 * 10_000
                p.trend = DemoTrend.inflow
            }
            if r.chance(30) && Int(p.openedDay) < asOfDay - 60 { p.bits |= DemoBits.reassigned }
            if r.chance(10) {
                surveys += 1
                p.surveyNo = surveys
                if r.chance(200) { p.bits |= DemoBits.anonymousSurvey }
            }
            if r.chance(2) && p.kind != DemoKind.enterprise || r.chance(1, outOf: 2000) {
                complaints += 1
                p.complaintNo = complaints
            }
            plan[i] = p
        }

        // The private tier: a fixed few (about 300 per million, at least one).
        let privates = max(1, n * 3 / 10_000)
        var placed = 0, guardCount = 0
        while placed < privates && guardCount < privates * 100 {
            guardCount += 1
            let j = r.below(n)
            if plan[j].band == 8 || plan[j].has(DemoBits.tide) || plan[j].has(DemoBits.foreign) { continue }
            plan[j].band = 8
            plan[j].aum = DemoBands.amount(band: 8, &r)
            plan[j].inflow = 0
            plan[j].bits &= ~DemoBits.demolition
            plan[j].trend = r.chance(250) ? DemoTrend.falling : DemoTrend.stable
            placed += 1
        }

        // RMs: by village and neighbourhood, so a household shares its RM; at ≥ 100,000
        // customers the first RM carries exactly 5,000 (what the benchmarks need).
        var need = n >= 100_000 ? 5_000 : 0
        let spread = need > 0 ? rmCount - 1 : rmCount
        let offset = need > 0 ? 1 : 0
        for i in 0..<n {
            if need > 0 && r.below(n - i) < need {
                plan[i].rm = 0
                need -= 1
                continue
            }
            let anchor = plan[i].head >= 0 ? Int(plan[i].head) : i
            let h = SplitMix64.mix(UInt64(plan[i].place) &* 0x1_0000_0001 &+ UInt64(anchor / 1500) &+ seed)
            plan[i].rm = UInt16(offset + Int(h % UInt64(spread)))
        }

        // Resident-ID sequence numbers, unique per (region, birth date, gender).
        var used: [Int: UInt16] = [:]
        used.reserveCapacity(n)
        for i in 0..<n where plan[i].kind != DemoKind.enterprise && !plan[i].has(DemoBits.foreign) {
            let key = (Int(plan[i].region) << 32) | (Int(plan[i].birthDay) + 100_000) << 1 | Int(plan[i].gender & 1)
            let count = used[key, default: 0]
            used[key] = count + 1
            let base = Int(SplitMix64.mix(UInt64(key)) % 200) * 2
            plan[i].idSequence = UInt16((base + Int(count) * 2 + (plan[i].isMale ? 1 : 0)) % 1000)
        }

        var h = DemoBranchSummary.Highlights()
        func id(_ i: Int) -> String { "C" + String(i + 1).leftPadded(8) }
        var commonPolyphonic: String?
        for i in 0..<n {
            let p = plan[i]
            if h.privateTier == nil && p.band == 8 { h.privateTier = id(i) }
            if p.kind != DemoKind.enterprise && !p.has(DemoBits.foreign) {
                if h.polyphonicSurname == nil && DemoNames.isRarePolyphonic[Int(p.surname)] { h.polyphonicSurname = id(i) }
                if commonPolyphonic == nil && DemoNames.isPolyphonic[Int(p.surname)] { commonPolyphonic = id(i) }
                if h.rareCharacter == nil && p.has(DemoBits.rareName) { h.rareCharacter = id(i) }
            }
            if h.household == nil && p.role == DemoRole.head && p.householdSize >= 3 { h.household = id(i) }
            if h.tidePayroll == nil && p.has(DemoBits.tide) { h.tidePayroll = id(i) }
            if h.largeInflow == nil && p.has(DemoBits.demolition) { h.largeInflow = id(i) }
            if h.microEnterprise == nil && p.kind == DemoKind.enterprise { h.microEnterprise = id(i) }
            if h.fallingAUM == nil && p.band >= 6 && p.trend == DemoTrend.falling { h.fallingAUM = id(i) }
        }
        if h.polyphonicSurname == nil { h.polyphonicSurname = commonPolyphonic }

        let world = DemoWorld(
            customers: n, seed: seed, asOf: asOf, asOfDay: asOfDay, plan: plan, units: units, staff: staff,
            rmStaff: rmStaff, formerRM: formerRM, president: 0, leads: [1, 2],
            staffIDWidth: max(3, String(staff.count).count),
            monthStart: monthStart, monthYear: monthYear, monthNumber: monthNumber,
            historyStart: CalendarDate(year: 2024, month: 1, day: 1)!.dayNumber)
        return (world, h)
    }

    static let mobilePrefixes: [[UInt8]] = ["134", "135", "136", "137", "138", "139", "147", "150", "151", "152", "157",
                                            "158", "159", "178", "182", "183", "187", "188", "130", "131", "132", "155",
                                            "156", "166", "176", "185", "186", "133", "153", "173", "177", "180", "181",
                                            "189", "191", "199"].map(\.u8)

    /// An 11-digit mobile number; the last 8 digits are a bijection of `index`, so no two
    /// customers share one.
    static func mobile(_ r: inout DemoRandom, index: Int) -> [UInt8] {
        var out = mobilePrefixes[r.below(mobilePrefixes.count)]
        var v = scramble8(index, key: 0x4D0B_11E5)
        var digits = [UInt8](repeating: 48, count: 8)
        for k in stride(from: 7, through: 0, by: -1) { digits[k] = UInt8(48 + v % 10); v /= 10 }
        out += digits
        return out
    }

    /// A bijection of 0..<10^8 (a 4-round Feistel network on two 4-digit halves): distinct
    /// inputs give distinct outputs that do not look sequential.
    static func scramble8(_ x: Int, key: UInt64) -> Int {
        var l = x / 10_000 % 10_000, r = x % 10_000
        for round in 0..<4 {
            let f = Int(SplitMix64.mix(UInt64(r) &+ key &* 31 &+ UInt64(round) << 40) % 10_000)
            (l, r) = (r, (l + f) % 10_000)
        }
        return l * 10_000 + r
    }

    /// Eight digits, unique per `x` < 10^8: the organisation-code body of a USCC.
    static func eightDigits(_ x: Int, key: UInt64) -> String {
        String(scramble8(x, key: key)).leftPadded(8)
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
