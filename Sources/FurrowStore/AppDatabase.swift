import Crypto
import Foundation
import FurrowCore
import GRDB

/// The one front door to a Furrow store. Everything that reads or writes customer data goes
/// through a named method here, so the invariants (row + audit in one transaction, derived
/// columns kept current) live in one place. Takes `any DatabaseWriter` so tests can pass an
/// in-memory queue; `open(path:)` gives the WAL-mode pool the workstation uses.
public final class AppDatabase: Sendable {
    let writer: any DatabaseWriter
    /// Where the store lives, for messages; ":memory:" for in-memory stores.
    public let path: String
    /// Tier thresholds used when import derives each customer's tier.
    public let tierThresholds: TierThresholds
    /// This device's wall clock, which stamps every RM write's op (tests give skewed ones).
    public let clock: @Sendable () -> Date

    /// Today in Shanghai by the store's clock (the one clock every stamp and default day comes from).
    public var today: CalendarDate { CalendarDate.today(now: clock()) }
    /// The data key that seals personal data, while the store is unlocked (AppDatabase+Sealing).
    let keyring: StoreKeyring

    /// `keyring`: the one the writer's configuration registered the sealing functions with
    /// (`configuration(…, keyring:)`); they are registered on the writer here too.
    public init(_ writer: any DatabaseWriter, path: String = ":memory:",
                tierThresholds: TierThresholds = .standard, clock: @escaping @Sendable () -> Date = { Date() },
                keyring: StoreKeyring = StoreKeyring()) throws(StoreError) {
        self.writer = writer
        self.path = path
        self.tierThresholds = tierThresholds
        self.clock = clock
        self.keyring = keyring
        do {
            try writer.writeWithoutTransaction { db in SealingFunctions.register(db, keyring) }
            let migrator = Migrations.migrator
            let unknown = try writer.read { db in
                try migrator.appliedIdentifiers(db).subtracting(migrator.migrations)
            }
            if !unknown.isEmpty {
                throw StoreError.newerVersion(path: path, unknownMigrations: unknown.sorted())
            }
            try migrator.migrate(writer)
        } catch {
            throw StoreError.from(error, path: path)
        }
    }

    static func configuration(readOnly: Bool, interactive: Bool = false, keyring: StoreKeyring) -> Configuration {
        var config = Configuration()
        config.prepareDatabase { db in
            SealingFunctions.register(db, keyring)
            // Pages read from the file through a memory map, not a pread and a copy each: the
            // reminder run at start reads some 20,000 scattered pages of a million-customer store
            // and takes half the time (docs/benchmarks.md). Writes still go through write(), so
            // a full disk is still an error, not a signal. FURROW_MMAP_MB=0 turns it off to compare.
            let mb = ProcessInfo.processInfo.environment["FURROW_MMAP_MB"].flatMap { Int($0) }.map { min(max($0, 0), 1 << 20) }
            try db.execute(sql: "PRAGMA mmap_size = \(Int64(mb ?? 2048) * 1_048_576)")
        }
        // Another furrow (an import, the workstation) may hold the write lock briefly.
        config.busyMode = .timeout(5)
        if interactive {
            // A person is waiting: a store held by an import answers "busy" within a second
            // (the form keeps what was typed and says so) rather than freezing the screen.
            config.busyMode = .timeout(1)
            // The workstation: a WAL checkpoint copies pages into the store with an fsync, and
            // SQLite would do it inside whichever commit crossed 1,000 pages — a keystroke's
            // draft save could stall. The workstation checkpoints when idle instead
            // (`checkpointPassive`).
            config.prepareDatabase { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
        }
        config.foreignKeysEnabled = true
        config.readonly = readOnly
        config.label = "furrow"
        return config
    }

    /// Opens (creating if needed) the store at `path` in WAL mode.
    /// An existing store that others may read is refused unless `allowShared` (it holds
    /// customers' personal data): the error says the `chmod` that fixes it.
    ///
    /// `key` unlocks its personal data (AppDatabase+Sealing). Without one, a store sealed with a
    /// key file uses the one beside it (`PATH.key`, made with a new store); a store sealed with a
    /// PIN opens locked, until `unlock(.pin(…))`.
    public static func open(path: String, tierThresholds: TierThresholds = .standard, interactive: Bool = false,
                            allowShared: Bool = false, key: StoreKeySource? = nil,
                            clock: @escaping @Sendable () -> Date = { Date() }) throws(StoreError) -> AppDatabase {
        // Inside the opening lock: two first opens at once must not both make a key.
        try openLocked(path: path, tierThresholds: tierThresholds, interactive: interactive, allowShared: allowShared, clock: clock) { (store: AppDatabase) throws(StoreError) in
            if let key {
                try store.unlock(key)
            } else if case .locked(wrap: "pin") = try store.sealingState() {
                // Opened locked: lists and search work on the masked forms; a reveal asks for the PIN.
            } else {
                try store.unlock(.besideStore(path))
            }
        }
    }

    private static func openLocked(path: String, tierThresholds: TierThresholds, interactive: Bool, allowShared: Bool,
                                   clock: @escaping @Sendable () -> Date,
                                   then unlock: (AppDatabase) throws(StoreError) -> Void) throws(StoreError) -> AppDatabase {
        let url = URL(fileURLWithPath: path)
        let fm = FileManager.default
        if !fm.fileExists(atPath: path) {
            do {
                // Customers' personal data: the folders furrow makes and the store itself are the
                // owner's alone (SQLite gives the -wal and -shm files the store's own mode).
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
                                       attributes: [.posixPermissions: 0o700])
                guard fm.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                    throw StoreError.cannotOpen(path: path, reason: "cannot create the file")
                }
            } catch let error as StoreError {
                throw error
            } catch {
                throw StoreError.cannotOpen(path: path, reason: "cannot create its directory: \(error.localizedDescription)")
            }
        } else if !fm.isWritableFile(atPath: path) {
            throw StoreError.readOnly(path: path)
        } else if !allowShared, let shared = sharedMode(path) {
            throw StoreError.cannotOpen(path: path, reason: """
                others may read it (mode \(String(shared, radix: 8))) and it holds customers' personal data: \
                run `chmod 600 \(path)*`, or give --allow-shared-store to open it anyway
                """)
        }
        do {
            return try OpeningLock.around(storeAt: path) {
                let keyring = StoreKeyring()
                let pool = try DatabasePool(path: path, configuration: configuration(readOnly: false, interactive: interactive, keyring: keyring))
                // A commit is on disk when the call returns. GRDB's pool sets its writer to
                // synchronous = NORMAL in WAL mode (after any prepareDatabase), where a power cut
                // can lose the last commits: a push the branch answered "applied", a visit log the
                // RM saw saved. FULL syncs the WAL at every commit; the branch's group commit
                // shares one sync among many pushes. Set on the writer, where it acts.
                try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
                let store = try AppDatabase(pool, path: path, tierThresholds: tierThresholds, clock: clock, keyring: keyring)
                try unlock(store)
                return store
            }
        } catch {
            throw StoreError.from(error, path: path)
        }
    }

    /// The mode of the store (or its -wal/-shm) when group or others may read or write it.
    static func sharedMode(_ path: String) -> Int? {
        for p in [path, path + "-wal", path + "-shm"] {
            guard let mode = (try? FileManager.default.attributesOfItem(atPath: p))?[.posixPermissions] as? NSNumber else { continue }
            if mode.intValue & 0o077 != 0 { return mode.intValue & 0o777 }
        }
        return nil
    }

    /// A copy of this store in memory: tests that need many stores build one and copy it
    /// (SQLite's backup), instead of running every migration each time.
    public func inMemoryCopy() throws(StoreError) -> AppDatabase {
        do {
            let queue = try DatabaseQueue(configuration: Self.configuration(readOnly: false, keyring: keyring))
            try writer.backup(to: queue)
            return try AppDatabase(queue, tierThresholds: tierThresholds, clock: clock, keyring: keyring)
        } catch {
            throw StoreError.from(error, path: ":memory:")
        }
    }

    /// An empty in-memory store, for tests and previews.
    public static func inMemory(tierThresholds: TierThresholds = .standard,
                                clock: @escaping @Sendable () -> Date = { Date() }) throws(StoreError) -> AppDatabase {
        do {
            // Its data key lives as long as it does (wrapped by a key nobody keeps).
            let keyring = StoreKeyring()
            let queue = try DatabaseQueue(configuration: configuration(readOnly: false, keyring: keyring))
            let store = try AppDatabase(queue, tierThresholds: tierThresholds, clock: clock, keyring: keyring)
            try store.unlock(.secret(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }))
            return store
        } catch {
            throw StoreError.from(error, path: ":memory:")
        }
    }

    /// Names of the migrations this version knows, oldest first.
    public static var knownMigrations: [String] { Migrations.migrator.migrations }

    /// Runs a read and maps SQLite failures to `StoreError`.
    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try writer.read(body) } catch { throw StoreError.from(error, path: path) }
    }

    /// Runs one write transaction and maps SQLite failures to `StoreError`.
    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try writer.write(body) } catch { throw StoreError.from(error, path: path) }
    }
}
