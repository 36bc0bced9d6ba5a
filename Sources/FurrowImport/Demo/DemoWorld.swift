import FurrowCore

/// Everything about one customer that other customers' rows depend on (households, owners,
/// referrers, RMs, resident-ID sequence numbers), decided in one sequential pass. The rows
/// themselves are written later, in parallel, from this plan and a per-customer random stream.
struct CustomerPlan: Sendable {
    var birthDay: Int32 = 0
    var openedDay: Int32 = 0
    /// Household head (for spouse, child, parent) or owner (for an enterprise); -1 if none.
    var head: Int32 = -1
    /// For a child: the head's spouse, the other parent; -1 if none.
    var headSpouse: Int32 = -1
    /// Target `aum_avg` of the extract month, fen.
    var aum: Int64 = 0
    /// A large inflow in the last months (demolition compensation or a harvest sale), fen.
    var inflow: Int64 = 0
    var idSequence: UInt16 = 0
    var surname: UInt16 = 0
    var place: UInt16 = 0
    var houseNo: UInt16 = 0
    var rm: UInt16 = 0
    var unit: Int16 = -1
    var kind: UInt8 = 0      // DemoKind
    var gender: UInt8 = 0    // 0 none, 1 M, 2 F
    var region: UInt8 = 0
    var role: UInt8 = 0      // DemoRole
    var band: UInt8 = 0      // 0 zero … 8 private
    var trend: UInt8 = 0     // DemoTrend
    var bits: UInt16 = 0     // DemoBits
    var householdSize: UInt8 = 1
    var surveyNo: Int32 = 0  // 0 = none
    var complaintNo: Int32 = 0

    var isMale: Bool { gender == 1 }
    func has(_ b: UInt16) -> Bool { bits & b != 0 }
}

enum DemoKind { static let individual: UInt8 = 0, farmer: UInt8 = 1, business: UInt8 = 2, enterprise: UInt8 = 3 }
enum DemoRole { static let single: UInt8 = 0, head: UInt8 = 1, spouse: UInt8 = 2, child: UInt8 = 3, parent: UInt8 = 4, owner: UInt8 = 5, enterprise: UInt8 = 6 }
enum DemoTrend { static let stable: UInt8 = 0, rising: UInt8 = 1, falling: UInt8 = 2, step: UInt8 = 3, churnedOut: UInt8 = 4, inflow: UInt8 = 5 }
enum DemoBits {
    static let tide: UInt16 = 1, rareName: UInt16 = 2, foreign: UInt16 = 4, reassigned: UInt16 = 8
    static let deceased: UInt16 = 16, aml: UInt16 = 32, demolition: UInt16 = 64, referral: UInt16 = 128
    static let anonymousSurvey: UInt16 = 256
}

/// Bands of AUM in fen: zero, <100, <1,000, <10,000, <50,000, <200,000 yuan (mass), wealth,
/// affluent, private. The ranges are [lo, hi].
enum DemoBands {
    static let ranges: [(Int64, Int64)] = [
        (0, 0), (1, 9_999), (10_000, 99_999), (100_000, 999_999), (1_000_000, 4_999_999),
        (5_000_000, 19_999_999), (20_000_000, 99_999_999), (100_000_000, 599_999_999),
        (600_000_000, 4_000_000_000),
    ]
    // Weights of bands 0…7 per 10,000 (private tier is placed separately, a fixed few).
    static let person = cumulativeWeights([2200, 3250, 3150, 340, 200, 140, 640, 80])
    static let payroll = cumulativeWeights([300, 700, 1500, 2500, 2500, 1500, 900, 100])
    static let tide = cumulativeWeights([2500, 4000, 3000, 500, 0, 0, 0, 0])
    static let enterprise = cumulativeWeights([500, 1000, 1500, 2000, 2000, 1500, 1000, 500])

    static func amount(band: Int, _ r: inout DemoRandom) -> Int64 {
        let (lo, hi) = ranges[band]
        if lo == hi { return lo }
        var u = r.unit()
        switch band {
        case 6, 7: u = u * u            // more near the bottom of the band
        case 8: u = u * u * u * u      // a long tail up to ¥40m
        default: break
        }
        return min(hi, lo + Int64(Double(hi - lo) * u))
    }
}

struct PayrollUnitDef: Sendable {
    var id: Int
    var name: [UInt8]
    var uscc: String
    var payDay: Int
    var contactSurname: Int
    var contactGiven: [[UInt8]]
    var contactMobile: [UInt8]
    var salaryFen: Int64
    var batchSecond: Int
    var premium: Bool
    var occupation: [UInt8]
}

struct StaffDef: Sendable {
    var name: [UInt8]
    var role: StaffRole
    var team: Int   // -1 none
    var active: Bool
}

/// Immutable inputs of the parallel writers.
struct DemoWorld: Sendable {
    let customers: Int
    let seed: UInt64
    let asOf: CalendarDate
    let asOfDay: Int
    let plan: [CustomerPlan]
    let units: [PayrollUnitDef]
    let staff: [StaffDef]
    /// Staff indices of the active RMs, in staff order; `rmStaff[plan.rm]`.
    let rmStaff: [Int]
    let formerRM: Int
    let president: Int
    let leads: [Int]
    let staffIDWidth: Int
    /// First day of each of the 12 months ending with the extract month, and one past.
    let monthStart: [Int]
    let monthYear: [Int]
    let monthNumber: [Int]
    let historyStart: Int
}
