import Foundation
import FurrowCore
import FurrowStore

/// A durable local write: a visit log (its row, the customer's last contact, the audit entry
/// and the outbox op, in one transaction committed to disk), and a note, on a copy of a store.
/// Each customer's profile is read first, untimed, as the workstation shows it before a write.
public struct WritesBenchmark {
    public struct Result: Sendable, Codable {
        public var customers: Int
        public var synchronous: String
        public var contactLog: LatencySummary
        public var note: LatencySummary
    }

    public var storePath: String
    public var count: Int

    public init(storePath: String, count: Int = 1000) {
        self.storePath = storePath
        self.count = count
    }

    public func run(log: (String) -> Void) throws -> Result {
        log("copying the store …")
        let working = try StoreCopy(of: storePath, named: "furrow-writes-bench.sqlite")
        defer { working.remove() }
        let copy = working.path
        // As the workstation opens it: the WAL is checkpointed in idle moments, not in a commit.
        let store = try AppDatabase.open(path: copy, interactive: true)
        let people = try store.benchmarkSamples(count: count).map(\.customerID)
        guard !people.isEmpty else { throw BenchError("the store has no customers") }
        log("\(people.count) visit logs and notes …")
        var logs: [Double] = [], notes: [Double] = []
        for (i, id) in people.enumerated() {
            // An RM writes about the customer on screen: the profile has just been read.
            _ = try store.profile(customerID: id)
            let (_, t1) = try Stopwatch.ms {
                try store.logContact(ContactLog(customerID: id, channel: i % 2 == 0 ? .visit : .call, purpose: "回访",
                                                discussed: "谈了定期续存", outcome: "同意"), by: "bench")
            }
            let (_, t2) = try Stopwatch.ms { try store.addNote(customerID: id, text: "喜欢喝茶", by: "bench") }
            logs.append(t1)
            notes.append(t2)
            // The RM pauses between writes: the workstation's idle checkpoint, untimed.
            if i % 20 == 19 { store.checkpointPassive() }
        }
        return Result(customers: try store.customerCount(), synchronous: try store.synchronousMode(),
                      contactLog: LatencySummary(name: "visit log + audit + outbox op", samplesMs: logs),
                      note: LatencySummary(name: "note + audit + outbox op", samplesMs: notes))
    }
}

extension BenchReport {
    public static func markdown(_ r: WritesBenchmark.Result) -> String {
        var out = "### Durable local writes on a store of \(r.customers) customers (PRAGMA synchronous = \(r.synchronous), WAL)\n\n"
        out += BenchProvenance.markdown
        out += "| write | count | p50 | p99 | max | target |\n|---|---:|---:|---:|---:|---|\n"
        for s in [r.contactLog, r.note] {
            out += "| \(s.name) | \(s.count) | \(fmt(s.p50, 3)) ms | \(s.p99Cell()) ms | \(fmt(s.max, 3)) ms | p99 ≤ 2 ms |\n"
        }
        return out
    }
}
