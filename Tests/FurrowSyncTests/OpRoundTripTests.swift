import Foundation
import FurrowCore
import FurrowServer
@testable import FurrowStore
import FurrowSync
import FurrowTestSupport
import Testing

/// One write path: an op applied where it was written, and the same op pushed through the
/// branch and pulled on other devices, leave the same rows everywhere. Every kind of change,
/// with generated payloads (texts in Chinese and with newlines, every choice of its lists,
/// days and numbers across their ranges), one seeded case per run; after each op the devices
/// sync and are compared table by table, so a difference names the kind that made it.
@Suite("Every kind of change: the same rows where it was written, on the branch and on every device")
struct OpRoundTripTests {
    static let cases = ProcessInfo.processInfo.environment["FURROW_ROUNDTRIP_CASES"].flatMap { Int($0) } ?? 8

    /// The tables an op writes (the branch holds more of its own: users, op log, feed).
    static let opTables: Set<String> = [
        "interactions", "notes", "customer_tags", "tasks", "complaints", "complaint_events", "customer_preferences", "customer_rules",
        "retention_cases", "retention_actions", "service_upgrades", "campaigns", "campaign_members", "profile_proposals", "prospects",
        "prospect_history", "prospect_matches", "outreach_logs", "field_clocks", "sync_conflicts", "customers",
    ]

    @Test("every op kind, generated payloads: the writer's rows equal the branch's and those of a second device and a lead's",
          .timeLimit(.minutes(10)))
    func everyKindRoundTrips() async throws {
        let base = UInt64(ProcessInfo.processInfo.environment["FURROW_ROUNDTRIP_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 0...UInt64(UInt32.max)))
        print("op round trip: seed \(base), cases \(Self.cases)")
        var covered: Set<OpKind> = []
        for i in 0..<Self.cases {
            covered.formUnion(try await Self.run(seed: base &+ UInt64(i)))
        }
        let missing = Set(OpKind.allCases).subtracting(covered)
        #expect(missing.isEmpty, "kinds never written in the round trip: \(missing.map(\.rawValue).sorted())")
    }

    static func makeBranch() throws -> AppDatabase {
        let db = try AppDatabase.inMemory(clock: testClock)
        _ = try db.importExtract(directory: "b", actor: "t", asOf: CalendarDate(iso: "2026-11-20")!) { s in
            try s.upsert(Staff(staffID: "S1", name: "李经理", role: .rm, team: "东"))
            try s.upsert(Staff(staffID: "L1", name: "王组长", role: .lead, team: "东"))
            try s.upsert(Product(productCode: "TD1Y", name: "一年定期", type: .timeDeposit))
            for (c, mobile) in [("C1", "13800001111"), ("C2", "13900002222")] {
                try s.upsert(Customer(customerID: c, name: "客户\(c)", kind: .individual, mobile: mobile, village: "东村"))
                try s.upsert(Assignment(customerID: c, staffID: "S1", since: CalendarDate(iso: "2024-01-01")!))
                try s.upsert(Account(accountID: "A-\(c)", customerID: c, productCode: "TD1Y", balance: Money(fen: 5_000_000), status: .active))
            }
            return .commit(summary: "")
        }
        _ = try db.runNightly(asOf: CalendarDate(iso: "2026-11-20")!, by: "branch")
        return db
    }

    /// One case: a branch, S1's laptop (where S1 writes), S1's phone, and the lead L1's
    /// workstation (where decisions and launches are made). Returns the kinds it wrote.
    static func run(seed: UInt64) async throws -> Set<OpKind> {
        let g = PayloadGenerator(seed: seed)
        let branch = try makeBranch()
        let s1 = AppDatabase.UserRef(staffID: "S1", role: .rm, team: "东"), l1 = AppDatabase.UserRef(staffID: "L1", role: .lead, team: "东")
        let laptop = try AppDatabase.inMemory(clock: testClock), phone = try AppDatabase.inMemory(clock: testClock)
        let lead = try AppDatabase.inMemory(clock: testClock)
        let devices: [(AppDatabase, AppDatabase.UserRef, String)] = [(laptop, s1, "laptop"), (phone, s1, "phone"), (lead, l1, "lead")]
        func syncAll() async throws {
            for _ in 0..<2 {
                for (db, user, name) in devices {
                    var u = user
                    u.device = name
                    _ = try await SyncEngine(store: db, client: InProcessTransport(branch: branch, user: u)).run()
                }
            }
        }
        try await syncAll()
        var written: Set<OpKind> = []

        /// Writes `kind` on `db` as `actor` (build the op, apply its effect, journal it), syncs
        /// everyone, and compares every copy with the writer's.
        func write(_ kind: OpKind, on db: AppDatabase, as actor: String, customer: String?, record: String?,
                   _ fields: [String: String?]) async throws {
            _ = try db.write { d in
                try Journal.write(d, now: db.clock(), actor: actor, kind: kind, customerID: customer, detail: nil, recordID: record, fields: fields)
            }
            try await syncAll()
            let rejected = try db.rejectedOps()
            #expect(rejected.isEmpty, "seed \(seed) \(kind.rawValue): the branch refused \(rejected.map { "\($0.op.kind) \($0.code ?? "") \($0.reason ?? "")" })")
            for (other, _, name) in devices where other !== db {
                let diff = try StoreDump.differences(db, other, tables: opTables)
                #expect(diff.isEmpty, "seed \(seed) \(kind.rawValue): the writer's rows and the \(name)'s differ: \(diff)")
            }
            let diff = try StoreDump.differences(db, branch, tables: opTables.subtracting(["customers"]))
            #expect(diff.isEmpty, "seed \(seed) \(kind.rawValue): the writer's rows and the branch's differ: \(diff)")
            written.insert(kind)
        }

        // Contacts, notes, tags.
        let log = g.id("I")
        try await write(.interactionLog, on: laptop, as: "S1", customer: "C1", record: log, [
            "at": g.time(), "channel": g.one(InteractionChannel.self), "purpose": g.text(200), "notes": g.text(2000, lines: true),
            "outcome": g.text(500, lines: true), "duration_min": g.int(1...600), "present": g.text(100), "mood": g.one(CustomerMood.self),
            "life_events": g.text(200), "next_step": g.text(200),
        ])
        try await write(.interactionCorrect, on: laptop, as: "S1", customer: "C1", record: g.id("I"), [
            "at": g.time(), "channel": g.one(InteractionChannel.self), "corrects": log, "notes": g.text(2000, lines: true),
        ])
        try await write(.noteAdd, on: laptop, as: "S1", customer: "C1", record: g.id("N"), ["at": g.time(), "text": g.text(4000, lines: true)])
        let tag = g.text(20)
        try await write(.tagAdd, on: laptop, as: "S1", customer: "C1", record: tag, ["tag": tag])
        try await write(.tagRemove, on: laptop, as: "S1", customer: "C1", record: tag, ["tag": tag])
        try await write(.tagAdd, on: laptop, as: "S1", customer: "C2", record: tag, ["tag": tag])
        // Tasks.
        let (t1, t2) = (g.id("T"), g.id("T"))
        for t in [t1, t2] {
            try await write(.taskCreate, on: laptop, as: "S1", customer: "C1", record: t, [
                "title": g.text(200), "reason": g.text(1000), "due_on": g.day(), "priority": g.int(1...3),
            ])
        }
        try await write(.taskReschedule, on: laptop, as: "S1", customer: "C1", record: t1, ["due_on": g.day()])
        try await write(.taskComplete, on: laptop, as: "S1", customer: "C1", record: t2, ["outcome": g.text(500, lines: true)])
        // A complaint through its loop.
        let k = g.id("K")
        // A deadline as a branch's rules may set it: within the regulator's 15 days of the receipt.
        let received = g.time()
        let deadline = CalendarDate(iso: received.prefix(10))!.adding(days: Int(g.int(1...14))!).iso + " 12:00:00"
        try await write(.complaintFile, on: laptop, as: "S1", customer: "C1", record: k, [
            "received_at": received, "channel": g.one(ComplaintChannel.self), "category": g.text(40), "severity": g.one(Severity.self),
            "description": g.text(2000, lines: true), "deadline_at": g.maybe(deadline),
        ])
        var from = "received"
        for step in [OpKind.complaintReceived, .complaintAssigned, .complaintInProgress, .complaintResolved, .complaintConfirmed, .complaintClosed] {
            let to = String(step.rawValue.dropFirst("complaint.".count))
            try await write(step, on: laptop, as: "S1", customer: "C1", record: k, [
                "from": from, "to": to, "owner": step == .complaintAssigned ? "S1" : nil, "note": g.maybe(g.text(500, lines: true)), "at": g.time(),
            ])
            from = to
        }
        // Preferences and the acceptance override.
        try await write(.preferencesSet, on: laptop, as: "S1", customer: "C1", record: "C1", [
            "preferred_channel": g.maybe(g.one(InteractionChannel.self)), "quiet_hours": g.maybe("21:30-08:00"),
            "no_home_visits": g.flag(), "monthly_cap": g.maybe(g.int(1...31)),
        ])
        try await write(.segmentOverride, on: laptop, as: "S1", customer: "C1", record: "C1", ["high_acceptance": g.maybe(g.flag())])
        // Retention.
        let rc = g.id("RC")
        try await write(.retentionOpen, on: laptop, as: "S1", customer: "C2", record: rc, ["signal": g.text(300), "owner": "S1", "at": g.time()])
        try await write(.retentionAct, on: laptop, as: "S1", customer: "C2", record: rc, ["note": g.text(500, lines: true), "at": g.time()])
        try await write(.retentionClose, on: laptop, as: "S1", customer: "C2", record: rc, [
            "outcome": g.one(RetentionOutcome.self), "reason": g.one(RetentionReason.self), "money_went": g.text(200), "at": g.time(),
        ])
        // Service upgrades: an RM asks, the lead decides.
        let (u1, u2) = (g.id("UP"), g.id("UP"))
        for (u, c) in [(u1, "C1"), (u2, "C2")] {
            try await write(.upgradeRequest, on: laptop, as: "S1", customer: c, record: u, [
                "served_as": g.one(Tier.self), "reason": g.text(300), "at": g.time(),
            ])
        }
        try await write(.upgradeApprove, on: lead, as: "L1", customer: "C1", record: u1, ["note": g.maybe(g.text(300)), "at": g.time()])
        try await write(.upgradeReject, on: lead, as: "L1", customer: "C2", record: u2, ["note": g.text(300), "at": g.time()])
        // A campaign the lead launches; the RM answers it.
        let campaign = g.id("CP")
        try await write(.campaignJoin, on: lead, as: "L1", customer: "C1", record: nil, [
            "campaign": campaign, "campaign_name": g.text(100), "campaign_kind": Campaign.Kind.event.rawValue,
            "campaign_starts": "2026-11-01", "campaign_ends": "2026-12-31", "campaign_products": g.text(1000),
            "campaign_venue": g.maybe(g.text(100)), "campaign_at": g.maybe("2026-12-10 14:00"), "campaign_capacity": g.maybe(g.int(1...100_000)),
            "owner": "S1",
        ])
        try await write(.campaignRespond, on: laptop, as: "S1", customer: "C1", record: campaign, [
            "campaign": campaign, "response": g.one(CampaignResponse.self), "at": g.time(),
        ])
        try await write(.campaignSatisfaction, on: laptop, as: "S1", customer: "C1", record: campaign, ["campaign": campaign, "score": g.int(1...5)])
        // A correction proposed and decided; a reveal.
        let proposal = g.id("PP")
        try await write(.profilePropose, on: laptop, as: "S1", customer: "C1", record: proposal, [
            "field": "mobile", "value": "13\(g.digits(9))", "old": "138****1111", "reason": g.maybe(g.text(200)), "at": g.time(),
        ])
        try await write(.profileDecide, on: lead, as: "L1", customer: "C1", record: proposal, [
            "decision": g.pick(["accepted", "rejected"]), "note": g.text(200), "at": g.time(),
        ])
        try await write(.reveal, on: laptop, as: "S1", customer: "C2", record: nil, ["context": g.text(200)])
        // Prospects and an outreach day.
        let outreach = g.id("OR")
        try await write(.outreachLog, on: laptop, as: "S1", customer: nil, record: outreach, [
            "place": g.text(100), "on_day": g.day(), "staff": "S1,L1", "people_met": g.int(0...100_000), "note": g.maybe(g.text(500, lines: true)),
        ])
        let prospect = g.id("PR")
        try await write(.prospectAdd, on: laptop, as: "S1", customer: nil, record: prospect, [
            // C2's name and village: the branch will offer C2 as a possible match.
            "name": "客户C2", "mobile": "137\(g.digits(8))", "village": "东村", "employer": g.maybe(g.text(100)),
            "source": g.one(Prospect.Source.self), "outreach_id": outreach, "interest": g.maybe(g.text(100)), "owner": "S1",
            "created_at": g.time(),
        ])
        try await write(.prospectNext, on: laptop, as: "S1", customer: nil, record: prospect, ["step": g.text(200), "due": g.day()])
        try await write(.prospectStage, on: laptop, as: "S1", customer: nil, record: prospect, [
            "from": "new", "to": g.pick(["contacted", "meeting"]), "note": g.maybe(g.text(200)), "at": g.time(),
        ])
        try await write(.prospectReveal, on: laptop, as: "S1", customer: nil, record: prospect, ["context": g.text(200)])
        // The branch finds a customer who may be the prospect (same name and village): the RM answers.
        _ = try branch.matchProspects(by: "branch")
        try branch.bumpCoreGeneration()
        try await syncAll()
        try await write(.prospectConfirm, on: laptop, as: "S1", customer: nil, record: prospect, [
            "customer": "C2", "same": g.flag(), "at": g.time(),
        ])
        return written
    }
}

/// Random field values as the forms could write them, from a seed.
final class PayloadGenerator {
    var rng: SplitMix64
    init(seed: UInt64) { rng = SplitMix64(state: seed) }

    static let pool = Array("客户张王李赵回访理财存款定期茶叶村镇abcXYZ019 -_.,;:'\"!?()（）【】、。😀")

    func text(_ max: Int, lines: Bool = false) -> String {
        let n = Int.random(in: 1...min(max, 40), using: &rng)
        var s = String((0..<n).map { _ in Self.pool.randomElement(using: &rng)! })
        if lines, n > 2, Bool.random(using: &rng) { s.insert("\n", at: s.index(s.startIndex, offsetBy: n / 2)) }
        return s.trimmingCharacters(in: .whitespaces).isEmpty ? "空" : s
    }
    func id(_ prefix: String) -> String { "\(prefix)-\(digits(10))" }
    func digits(_ n: Int) -> String { String((0..<n).map { _ in "0123456789".randomElement(using: &rng)! }) }
    func int(_ range: ClosedRange<Int>) -> String { String(Int.random(in: range, using: &rng)) }
    func flag() -> String { Bool.random(using: &rng) ? "1" : "0" }
    func day() -> String { "2026-\(pad(Int.random(in: 1...12, using: &rng)))-\(pad(Int.random(in: 1...28, using: &rng)))" }
    /// A time before the test clock's day (the branch refuses times ahead of its clock).
    func time() -> String {
        "2026-\(pad(Int.random(in: 1...11, using: &rng)))-\(pad(Int.random(in: 1...24, using: &rng))) \(pad(Int.random(in: 0...23, using: &rng))):\(pad(Int.random(in: 0...59, using: &rng)))"
    }
    func one<T: RawRepresentable & CaseIterable>(_: T.Type) -> String where T.RawValue == String {
        T.allCases.map(\.rawValue).randomElement(using: &rng)!
    }
    func pick(_ values: [String]) -> String { values.randomElement(using: &rng)! }
    func maybe(_ value: String) -> String? { Bool.random(using: &rng) ? value : nil }
    private func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
