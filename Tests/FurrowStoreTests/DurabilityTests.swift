import Foundation
import FurrowCore
import GRDB
import Testing
@testable import FurrowStore

/// What survives a power cut, read where it acts: on the connection that writes.
@Suite("Durability and file modes of the stores the product opens")
struct DurabilityTests {
    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("furrow-durability-\(UUID().uuidString)")
    }

    @Test("the writer of every store kind (workstation, interactive workstation, branch) syncs each commit: synchronous = FULL",
          arguments: [false, true])
    func writerIsFull(interactive: Bool) throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = try AppDatabase.open(path: dir.appendingPathComponent("s.sqlite").path, interactive: interactive, clock: testClock)
        let onWriter = try db.writer.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") }
        #expect(onWriter == 2, "2 is FULL; GRDB's pool default on the writer is 1, NORMAL")
        #expect(try db.synchronousMode() == "FULL", "what the benchmarks print is the writer's")
        #expect(try db.writer.write { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
    }

    @Test("the writer and the readers read the file through a memory map; writes still sync (FULL)", arguments: [false, true])
    func memoryMapped(interactive: Bool) throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = try AppDatabase.open(path: dir.appendingPathComponent("m.sqlite").path, interactive: interactive, clock: testClock)
        let onWriter = try db.writer.write { try Int64.fetchOne($0, sql: "PRAGMA mmap_size") } ?? 0
        let onReader = try db.writer.read { try Int64.fetchOne($0, sql: "PRAGMA mmap_size") } ?? 0
        // SQLite caps the size it is given at its build's limit (2 GB less 64 KiB on Debian).
        #expect(onWriter >= 1 << 30, "writer: \(onWriter)")
        #expect(onReader >= 1 << 30, "reader: \(onReader)")
        #expect(try db.synchronousMode() == "FULL")
    }

    @Test("a new store, its folder and its -wal/-shm files are the owner's alone (0600 / 0700)")
    func ownerOnly() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("private/s.sqlite").path
        let db = try AppDatabase.open(path: path, clock: testClock)
        // Any write: the WAL file exists.
        try db.saveDraft(Draft(staffID: "S1", kind: "note", customerID: nil, fields: ["text": "x"], createdAt: "2026-11-20 10:00:00"))
        func mode(_ p: String) throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: p)[.posixPermissions] as? NSNumber)?.intValue ?? -1
        }
        #expect(try mode(path) == 0o600)
        #expect(try mode(path + "-wal") == 0o600)
        #expect(try mode(dir.appendingPathComponent("private").path) == 0o700)
    }
}

@Suite("A store others may read")
struct SharedStoreTests {
    @Test("an existing store readable by others is refused with the chmod that fixes it, unless allowed")
    func refused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("furrow-shared-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("s.sqlite").path
        _ = try AppDatabase.open(path: path, clock: testClock)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect { _ = try AppDatabase.open(path: path, clock: testClock) } throws: {
            "\($0)".contains("chmod 600") && "\($0)".contains("--allow-shared-store") && "\($0)".contains("644")
        }
        _ = try AppDatabase.open(path: path, allowShared: true, clock: testClock)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        _ = try AppDatabase.open(path: path, clock: testClock)
    }
}
