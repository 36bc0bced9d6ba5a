import Dispatch
import Foundation
import FurrowStore
import Synchronization

/// What the reading thread hands the writing one.
enum ImportMessage: Sendable {
    /// A file starts: the columns it carries, and where its key is in each record.
    case begin(file: ExtractFile, presentColumns: Set<String>, keyIndexes: [Int])
    case rows(file: ExtractFile, [ValidRow])
}

/// A record that passed validation, with where it came from.
struct ValidRow: Sendable {
    var line: Int
    var fields: [String]
    var write: PendingWrite
}

/// An import uses both cores: one thread reads, decodes and validates the files while the
/// calling thread — the store's writer, inside the import transaction — writes the rows.
/// Without it the two halves would take turns; with it the import takes about as long as the
/// slower half (docs/benchmarks.md).
enum ImportPipeline {
    static let batchSize = 2048

    static func run(_ reader: ImportRun, into session: ImportSession) throws -> ImportRun {
        if reader.willReadAhead { session.customersCarryDerivedColumns() }
        let channel = BatchChannel<ImportMessage>(capacity: 16)
        let result = Mutex<ImportRun?>(nil)
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            var run = reader
            run.produce(emit: { channel.send($0) }, cancelled: { channel.isCancelled })
            result.withLock { $0 = run }
            channel.close()
            finished.signal()
        }
        thread.stackSize = 8 << 20
        thread.name = "furrow import reader"
        thread.start()

        var writer = ImportWriter()
        do {
            while let message = channel.receive() { try writer.apply(message, to: session) }
        } catch {
            // Let the reader see the cancellation and drain what it already sent.
            channel.cancel()
            while channel.receive() != nil {}
            finished.wait()
            throw error
        }
        finished.wait()
        var run = result.withLock { $0.take() }!
        run.finish(with: writer)
        if run.needsRederive { session.rederiveAll() }
        return run
    }
}

/// The writing side: applies each valid row and keeps the ones the store refused.
struct ImportWriter {
    struct Failure {
        var issue: ImportIssue
        var fields: [String]
    }

    var failures: [Failure] = []
    private var keyIndexes: [Int] = []
    private var keyColumn = "-"

    mutating func apply(_ message: ImportMessage, to session: ImportSession) throws {
        switch message {
        case .begin(let file, let present, let keys):
            session.setPresentColumns(present, for: String(file.rawValue.dropLast(4)))
            keyIndexes = keys
            keyColumn = file.keyColumns.first ?? "-"
        case .rows(let file, let rows):
            for row in rows {
                do {
                    try row.write.apply(to: session)
                } catch ImportWriteError.duplicateKey {
                    let key = keyIndexes.map { row.fields[$0].trimmingSpaces() }.joined(separator: "/")
                    failures.append(Failure(
                        issue: ImportIssue(file: file.rawValue, line: row.line, column: keyColumn,
                                           reason: "duplicate key \(key) (it appears earlier in this file)"),
                        fields: row.fields))
                }
            }
        }
    }
}

/// A bounded queue between two threads: `send` waits while it is full, `receive` waits while
/// it is empty and returns nil once it is closed and drained.
final class BatchChannel<T: Sendable>: Sendable {
    private let state = Mutex<(items: [T], closed: Bool, cancelled: Bool)>(([], false, false))
    private let free: DispatchSemaphore
    private let filled = DispatchSemaphore(value: 0)

    init(capacity: Int) { free = DispatchSemaphore(value: capacity) }

    func send(_ item: T) {
        free.wait()
        state.withLock { $0.items.append(item) }
        filled.signal()
    }

    /// No more items will come.
    func close() {
        state.withLock { $0.closed = true }
        filled.signal()
    }

    func receive() -> T? {
        filled.wait()
        let item: T? = state.withLock { s in s.items.isEmpty ? nil : s.items.removeFirst() }
        if item != nil { free.signal() }
        return item
    }

    func cancel() { state.withLock { $0.cancelled = true } }
    var isCancelled: Bool { state.withLock { $0.cancelled } }
}
