import FurrowCore

/// What `DemoBranchGenerator.write(to:)` produced: row counts, the staff and a few customers
/// worth showing a new user.
public struct DemoBranchSummary: Sendable, Codable, Hashable {
    public var customers: Int
    public var seed: UInt64
    public var asOf: CalendarDate
    /// Data rows (header excluded) per file name, e.g. `rowCounts["customers.csv"]`.
    public var rowCounts: [String: Int]
    /// Active relationship managers (role `rm`).
    public var rmCount: Int
    public var staff: [StaffMember]
    /// The RM with the largest current portfolio (at ≥ 100,000 customers: exactly 5,000).
    public var largestPortfolio: Portfolio
    public var highlights: Highlights

    public struct StaffMember: Sendable, Codable, Hashable {
        public var staffID: String
        public var name: String
        public var role: StaffRole
        public var team: String?
        public var active: Bool
    }

    public struct Portfolio: Sendable, Codable, Hashable {
        public var staffID: String
        public var customers: Int
    }

    /// Customer IDs to show a new user; nil when the branch is too small to have one.
    public struct Highlights: Sendable, Codable, Hashable {
        /// AUM ≥ ¥6,000,000.
        public var privateTier: String?
        /// Surname read differently from the character's usual reading (单 Shàn, 解 Xiè, 曾 Zēng, …).
        public var polyphonicSurname: String?
        /// Head of a household of three or more customers (spouse, children, parents).
        public var household: String?
        /// Name with 𠮷, a character outside the BMP.
        public var rareCharacter: String?
        /// Payroll that leaves for another bank within two days (the "tide" pattern).
        public var tidePayroll: String?
        /// Received demolition compensation (拆迁款) in the last months.
        public var largeInflow: String?
        /// A small/micro enterprise with its owner among the customers.
        public var microEnterprise: String?
        /// AUM falling for months: a churn warning.
        public var fallingAUM: String?
    }

    /// The number of data rows of `file` ("customers.csv"), 0 if absent.
    public func rows(in file: String) -> Int { rowCounts[file] ?? 0 }
}
