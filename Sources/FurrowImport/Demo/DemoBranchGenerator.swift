import Dispatch
import Foundation
import FurrowCore

/// Writes a whole demo branch as a core-banking extract (docs: extract-format.md): the 13 CSV
/// files of a county branch of a rural commercial bank in 临安, with a long tail of small
/// customers, a few private-tier ones, households, payroll units, loans and a year of history.
///
/// The output is a function of `(customers, seed, asOf)` only: byte-identical on every run.
/// Customers are planned in one sequential pass, then their rows are written in parallel in
/// chunks, each customer from its own random stream, and appended to the files in order.
public struct DemoBranchGenerator: Sendable {
    public let customers: Int
    public let seed: UInt64
    /// The extract date: balances are as of this day; history runs 12 months back from it.
    public let asOf: CalendarDate

    /// - Parameters:
    ///   - customers: 1…99,999,999 (IDs are `C` + 8 digits).
    ///   - asOf: the extract date, e.g. 2026-11-20.
    public init(customers: Int = 20_000, seed: UInt64 = 1, asOf: CalendarDate) {
        precondition((1...99_999_999).contains(customers), "customers must be in 1...99,999,999")
        self.customers = customers
        self.seed = seed
        self.asOf = asOf
    }

    /// The files written, in the order of the format document.
    public static let fileNames: [String] = DemoFile.allCases.map(\.fileName)

    /// The header row of each file (columns in the order of the format document).
    public static let headers: [String: [String]] = Dictionary(uniqueKeysWithValues: DemoFile.allCases.map { ($0.fileName, $0.columns) })

    /// Customers per parallel work item; a chunk's buffers are ~1–2 MB per large file.
    static let chunkSize = 2_048

    /// Writes the 13 files into `directory` (created if needed; existing files are replaced).
    /// - Parameter progress: called on the calling thread with 0…1 as the work proceeds.
    public func write(to directory: URL, progress: (@Sendable (Double) -> Void)? = nil) throws -> DemoBranchSummary {
        // Owner-only: the files hold (made-up, but realistic) personal data.
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        chmod(directory.path, 0o700)   // an existing folder too
        let (world, highlights) = DemoPlanner.makeWorld(customers: customers, seed: seed, asOf: asOf)
        progress?(0.05)

        let sinks = try DemoFile.allCases.map {
            try CSVFileSink(url: directory.appendingPathComponent($0.fileName), header: $0.header)
        }
        try writeProducts(sinks[DemoFile.products.rawValue])
        try writeStaff(world, sinks[DemoFile.staff.rawValue])
        try writeUnits(world, sinks[DemoFile.payrollUnits.rawValue])

        let total = customers
        let chunkSize = Self.chunkSize
        let chunkCount = (total + chunkSize - 1) / chunkSize
        let batch = 8
        var done = 0
        while done < chunkCount {
            let first = done
            let k = min(batch, chunkCount - first)
            let results = ChunkSlots(count: k)
            DispatchQueue.concurrentPerform(iterations: k) { j in
                let lo = (first + j) * chunkSize
                results.put(j, world.writeChunk(lo..<min(total, lo + chunkSize)))
            }
            for j in 0..<k {
                let chunk = results.take(j)
                for f in DemoFile.allCases where chunk.rows[f.rawValue] > 0 {
                    try sinks[f.rawValue].append(chunk.files[f.rawValue].bytes, rows: chunk.rows[f.rawValue])
                }
            }
            done += k
            progress?(0.05 + 0.95 * Double(done) / Double(chunkCount))
        }
        var rowCounts: [String: Int] = [:]
        for f in DemoFile.allCases {
            try sinks[f.rawValue].close()
            rowCounts[f.fileName] = sinks[f.rawValue].rows
        }

        var portfolio = [Int](repeating: 0, count: world.rmStaff.count)
        for p in world.plan { portfolio[Int(p.rm)] += 1 }
        var biggest = 0
        for k in portfolio.indices where portfolio[k] > portfolio[biggest] { biggest = k }

        return DemoBranchSummary(
            customers: customers, seed: seed, asOf: asOf, rowCounts: rowCounts,
            rmCount: world.rmStaff.count,
            staff: world.staff.indices.map { k in
                let s = world.staff[k]
                return DemoBranchSummary.StaffMember(
                    staffID: world.staffID(k), name: String(decoding: s.name, as: UTF8.self), role: s.role,
                    team: s.team >= 0 ? String(decoding: DemoCatalog.teams[s.team], as: UTF8.self) : nil, active: s.active)
            },
            largestPortfolio: .init(staffID: world.staffID(world.rmStaff[biggest]), customers: portfolio[biggest]),
            highlights: highlights)
    }

    private func writeProducts(_ sink: CSVFileSink) throws {
        var b = CSVBytes(capacity: 4_096)
        for p in DemoCatalog.products {
            b.raw(p.code); b.comma()
            b.field(p.name); b.comma()
            b.raw(p.type.rawValue); b.comma()
            if p.risk > 0 { b.byte(82); b.int(p.risk) }
            b.comma()
            if p.termDays > 0 { b.int(p.termDays) }
            b.newline()
        }
        try sink.append(b.bytes, rows: DemoCatalog.products.count)
    }

    private func writeStaff(_ world: DemoWorld, _ sink: CSVFileSink) throws {
        var b = CSVBytes(capacity: 64 * world.staff.count)
        for (k, s) in world.staff.enumerated() {
            world.staffIDBytes(k, into: &b); b.comma()
            b.field(s.name); b.comma()
            b.raw(s.role.rawValue); b.comma()
            if s.team >= 0 { b.raw(DemoCatalog.teams[s.team]) }
            b.comma()
            b.byte(s.active ? 49 : 48)
            b.newline()
        }
        try sink.append(b.bytes, rows: world.staff.count)
    }

    private func writeUnits(_ world: DemoWorld, _ sink: CSVFileSink) throws {
        var b = CSVBytes(capacity: 160 * world.units.count)
        for u in world.units {
            b.id(80, u.id, width: 4); b.comma()
            b.field(u.name); b.comma()
            b.raw(u.uscc); b.comma()
            b.int(u.payDay); b.comma()
            b.raw(DemoNames.surnames[u.contactSurname]); for g in u.contactGiven { b.raw(g) }
            b.comma()
            b.raw(u.contactMobile)
            b.newline()
        }
        try sink.append(b.bytes, rows: world.units.count)
    }
}

extension DemoWorld {
    func staffID(_ staffIndex: Int) -> String {
        var b = CSVBytes(capacity: 8)
        staffIDBytes(staffIndex, into: &b)
        return String(decoding: b.bytes, as: UTF8.self)
    }
}

/// The results of one parallel batch, one slot per chunk.
private final class ChunkSlots: @unchecked Sendable {
    private var slots: [DemoChunk?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func put(_ k: Int, _ chunk: DemoChunk) {
        lock.lock(); defer { lock.unlock() }
        slots[k] = chunk
    }

    func take(_ k: Int) -> DemoChunk {
        lock.lock(); defer { lock.unlock() }
        let c = slots[k]!
        slots[k] = nil
        return c
    }
}
