/// A value of an SQLite column as it travels in a snapshot (JSON null, number or string).
public enum SQLValue: Hashable, Sendable, Codable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let i = try? c.decode(Int64.self) { self = .integer(i) }
        else if let d = try? c.decode(Double.self) { self = .real(d) }
        else { self = .text(try c.decode(String.self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .integer(let i): try c.encode(i)
        case .real(let d): try c.encode(d)
        case .text(let s): try c.encode(s)
        }
    }
}

/// The rows of one table in a snapshot page, with their column names.
public struct TableRows: Hashable, Sendable, Codable {
    public var table: String
    public var columns: [String]
    public var rows: [[SQLValue]]
    public init(table: String, columns: [String], rows: [[SQLValue]]) { self.table = table; self.columns = columns; self.rows = rows }
}

/// A first sync (or a re-snapshot after the branch loaded new extracts) comes in pages of
/// customers: first their profiles, open work and balances (`profiles`), then their
/// transaction history (`history`), so the RM can start before the history is in.
public enum SnapshotPhase: String, Sendable, Codable, CaseIterable {
    case profiles, history
}

/// One page of a snapshot: the rows of a run of customers (ordered by customer ID), and where
/// the next page starts (`nil` when the phase is complete).
public struct SnapshotPage: Hashable, Sendable, Codable {
    /// The branch's extract generation the snapshot reflects.
    public var generation: Int64
    public var phase: SnapshotPhase
    public var customers: [String]
    public var tables: [TableRows]
    public var next: String?
    /// How many customers the whole snapshot holds (for a progress bar).
    public var total: Int
    public init(generation: Int64, phase: SnapshotPhase, customers: [String], tables: [TableRows], next: String?, total: Int) {
        self.generation = generation; self.phase = phase; self.customers = customers; self.tables = tables; self.next = next
        self.total = total
    }
}
