import Foundation
import GRDB
import Testing

/// GRDB's Linux support is not tested upstream: every GRDB and SQLite feature the store relies
/// on is exercised here, on a real file.
@Suite("GRDB and SQLite features the store relies on")
struct GRDBFeatureTests {
    func pool() throws -> DatabasePool {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("grdb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return try DatabasePool(path: dir.appendingPathComponent("f.sqlite").path)
    }

    @Test("a DatabasePool runs in WAL mode and reads while a write is open")
    func walPool() throws {
        let db = try pool()
        try db.write { try $0.execute(sql: "CREATE TABLE t (x INTEGER)") }
        #expect(try db.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
        try db.writeWithoutTransaction { w in
            try w.execute(sql: "BEGIN IMMEDIATE; INSERT INTO t VALUES (1)")
            #expect(try db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM t") } == 0)
            try w.execute(sql: "COMMIT")
        }
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM t") } == 1)
    }

    @Test("FTS5 with unicode61 matches character phrases, including characters outside the BMP")
    func fts5Phrases() throws {
        let db = try pool()
        try db.write { d in
            try d.execute(sql: "CREATE VIRTUAL TABLE f USING fts5(chars, tokenize = 'unicode61')")
            try d.execute(sql: "INSERT INTO f (rowid, chars) VALUES (1, '张 三 丰'), (2, '李 𠮷 祥'), (3, '小 张 三')")
        }
        func match(_ q: String) throws -> [Int64] {
            try db.read { try Int64.fetchAll($0, sql: "SELECT rowid FROM f WHERE f MATCH ? ORDER BY rowid", arguments: [q]) }
        }
        #expect(try match("\"张 三\"") == [1, 3])
        #expect(try match("\"三 丰\"") == [1])
        #expect(try match("\"𠮷\"") == [2])
        #expect(try match("\"丰 三\"").isEmpty)
    }

    @Test("upsert with a WHERE on row values writes only changes, and RETURNING reports them")
    func upsertReturning() throws {
        let db = try pool()
        try db.write { d in
            try d.execute(sql: "CREATE TABLE t (k TEXT PRIMARY KEY, a TEXT, b INTEGER)")
            let sql = """
                INSERT INTO t (k, a, b) VALUES (?, ?, ?) ON CONFLICT(k) DO UPDATE SET a = excluded.a, b = excluded.b
                WHERE (a, b) IS NOT (excluded.a, excluded.b) RETURNING rowid
                """
            #expect(try Int64.fetchAll(d, sql: sql, arguments: ["x", "1", 1]).count == 1)
            #expect(try Int64.fetchAll(d, sql: sql, arguments: ["x", "1", 1]).isEmpty)
            #expect(try Int64.fetchAll(d, sql: sql, arguments: ["x", nil, 1]).count == 1)
            #expect(try Int64.fetchAll(d, sql: sql, arguments: ["x", nil, 1]).isEmpty)
        }
    }

    @Test("deferred foreign keys fail the commit, not the statement")
    func deferredForeignKeys() throws {
        let db = try pool()
        try db.write { d in
            try d.execute(sql: "CREATE TABLE p (id TEXT PRIMARY KEY); CREATE TABLE c (pid TEXT REFERENCES p(id))")
        }
        #expect(throws: DatabaseError.self) {
            try db.write { d in
                try d.execute(sql: "PRAGMA defer_foreign_keys = ON")
                try d.execute(sql: "INSERT INTO c VALUES ('nobody')")   // accepted for now
            }
        }
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM c") } == 0)
    }

    @Test("UPDATE … FROM and keyset row-value comparisons")
    func updateFromAndRowValues() throws {
        let db = try pool()
        try db.write { d in
            try d.execute(sql: """
                CREATE TABLE a (id INTEGER PRIMARY KEY, v INTEGER); CREATE TABLE b (id INTEGER, v INTEGER);
                INSERT INTO a VALUES (1, 0), (2, 0), (3, 0); INSERT INTO b VALUES (1, 10), (2, 20);
                UPDATE a SET v = b.v FROM b WHERE b.id = a.id;
                """)
        }
        #expect(try db.read { try Int.fetchAll($0, sql: "SELECT v FROM a ORDER BY id") } == [10, 20, 0])
        #expect(try db.read { try Int.fetchAll($0, sql: "SELECT id FROM a WHERE (v, id) < (20, 2) ORDER BY v DESC, id DESC") } == [1, 3])
    }

    @Test("the migrator lists applied migrations and tells a newer database apart")
    func migrator() throws {
        let db = try pool()
        var m = DatabaseMigrator()
        m.registerMigration("one") { try $0.execute(sql: "CREATE TABLE one (x)") }
        try m.migrate(db)
        #expect(try db.read { try m.appliedIdentifiers($0) } == ["one"])
        var older = DatabaseMigrator()
        older.registerMigration("zero") { _ in }
        #expect(try db.read { try older.hasBeenSuperseded($0) })
        #expect(try db.read { try m.hasBeenSuperseded($0) } == false)
        #expect(try db.read { try m.appliedIdentifiers($0).subtracting(older.migrations) } == ["one"])
    }
}
