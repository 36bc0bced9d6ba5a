import Foundation
import GRDB
import Synchronization
import Testing
@testable import FurrowStore

@Suite("Opening a store")
struct MigrationTests {
    func tempPath(_ name: String = "store.sqlite") -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("furrow-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    @Test("a new store runs every named migration, in WAL mode with foreign keys on")
    func freshStore() throws {
        let path = tempPath()
        let db = try AppDatabase.open(path: path)
        let (applied, journal, fk) = try db.writer.read { db in
            (try DatabaseMigrator().appliedIdentifiers(db),
             try String.fetchOne(db, sql: "PRAGMA journal_mode"),
             try Int.fetchOne(db, sql: "PRAGMA foreign_keys"))
        }
        #expect(applied == Set(AppDatabase.knownMigrations))
        #expect(AppDatabase.knownMigrations.count >= 3)
        #expect(journal == "wal")
        #expect(fk == 1)
        // Opening again is a no-op.
        _ = try AppDatabase.open(path: path)
    }

    @Test("two connections opening a new store at once both end with the whole schema (a workstation and furrow sync, say)")
    func racingFirstOpens() throws {
        for _ in 0..<12 {
            let path = tempPath()
            let failures = Mutex<[String]>([])
            DispatchQueue.concurrentPerform(iterations: 3) { _ in
                do { _ = try AppDatabase.open(path: path) } catch { failures.withLock { $0.append("\(error)") } }
            }
            #expect(failures.withLock { $0 }.isEmpty)
            let applied = try AppDatabase.open(path: path).writer.read { try DatabaseMigrator().appliedIdentifiers($0) }
            #expect(applied == Set(AppDatabase.knownMigrations))
        }
    }

    @Test("a store written by a newer version is refused with the migrations it does not know")
    func newerStore() throws {
        let path = tempPath()
        _ = try AppDatabase.open(path: path)
        let q = try DatabaseQueue(path: path)
        try q.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('2099-01-01 hover cars')") }
        try q.close()
        #expect(throws: StoreError.newerVersion(path: path, unknownMigrations: ["2099-01-01 hover cars"])) {
            _ = try AppDatabase.open(path: path)
        }
    }

    @Test("a file that is not SQLite gives a clear message, not a crash")
    func notADatabase() throws {
        let path = tempPath()
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        do {
            _ = try AppDatabase.open(path: path)
            Issue.record("opened a text file as a store")
        } catch {
            #expect(error == .notAStore(path: path))
            #expect(error.description.contains("not a Furrow store"))
        }
    }

    @Test("a damaged store is reported as damaged")
    func corrupt() throws {
        let path = tempPath()
        let real = try AppDatabase.open(path: path)
        try StoreFixture.seed(real)
        try real.writer.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        // Overwrite pages after the header with garbage.
        let h = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try h.seek(toOffset: 4096)
        try h.write(contentsOf: Data(repeating: 0xFF, count: 4096 * 4))
        try h.close()
        do {
            let again = try AppDatabase.open(path: path)
            _ = try again.search("张", limit: 50)
            _ = try again.portfolio(scope: .branch)
            Issue.record("read a damaged store without an error")
        } catch {
            #expect([StoreError.corrupt(path: path), .notAStore(path: path)].contains(error), "got \(error)")
        }
    }

    @Test("a read-only store file says so")
    func readOnly() throws {
        let path = tempPath()
        _ = try AppDatabase.open(path: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path) }
        // root ignores permissions; the check is only meaningful for ordinary users.
        if getuid() != 0 {
            #expect(throws: StoreError.readOnly(path: path)) { _ = try AppDatabase.open(path: path) }
        } else {
            #expect(StoreError.readOnly(path: path).description.contains("read-only"))
        }
    }

    @Test("a store locked by another writer gives a 'locked' message after the busy timeout")
    func locked() throws {
        let path = tempPath()
        let db = try AppDatabase.open(path: path)
        let other = try DatabaseQueue(path: path)
        try other.writeWithoutTransaction { o in
            try o.execute(sql: "BEGIN EXCLUSIVE")
            #expect(throws: StoreError.locked(path: path)) {
                _ = try db.importExtract(directory: "x", actor: "t", asOf: StoreFixture.asOf) { _ in .commit(summary: "") }
            }
            try o.execute(sql: "ROLLBACK")
        }
    }
}
