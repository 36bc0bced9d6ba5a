import ArgumentParser
import Foundation
import FurrowCore
import FurrowServer
import FurrowSync
import FurrowSyncBench
import FurrowStore
import FurrowImport
import Hummingbird

/// A day on the command line, YYYY-MM-DD (as `furrow` takes it).
extension CalendarDate: ExpressibleByArgument {
    public init?(argument: String) {
        guard let day = CalendarDate(iso: argument), (2000...2100).contains(day.year) else { return nil }
        self = day
    }
}

/// `furrow-branch`: the branch server. Parsing only; the work is in FurrowServer and FurrowStore.
@main
struct Branch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "furrow-branch", abstract: "The branch server: load the extracts, serve the workstations, manage who may sign in.",
        subcommands: [Serve.self, Import.self, Demo.self, Users.self, Devices.self, Proposals.self, AuditTrail.self, Compact.self, Bench.self])

    static var admin: String { ProcessInfo.processInfo.environment["USER"] ?? "admin" }

    /// The branch's storage as the serving and administering commands use it: its repositories
    /// only (`BranchStorage`); loading extracts needs the SQLite store itself (`open`).
    static func storage(_ path: String, mustExist: Bool = true) throws -> any BranchStorage {
        try open(path, mustExist: mustExist)
    }

    static func open(_ path: String, mustExist: Bool = true) throws -> AppDatabase {
        if mustExist, !FileManager.default.fileExists(atPath: path) {
            throw ValidationError("no branch store at \(path); load the extracts first: furrow-branch import DIR --store \(path)")
        }
        // FURROW_ALLOW_SHARED_STORE=1 opens a store others may read (the workstation's --allow-shared-store).
        let allowShared = ProcessInfo.processInfo.environment["FURROW_ALLOW_SHARED_STORE"] == "1"
        let key = try storeKey()
        do { return try AppDatabase.open(path: path, allowShared: allowShared, key: key) } catch { throw ValidationError(error.description) }
    }

    /// What opens the branch store's sealed personal data: `FURROW_KEY` (base64 of 32 bytes,
    /// e.g. from the bank's secret store), else the key file `FURROW_KEY_FILE`, else the key
    /// file beside the store (made with a new store; keep a copy apart from the store's backups).
    static func storeKey() throws -> StoreKeySource? {
        let env = ProcessInfo.processInfo.environment
        if let k = env["FURROW_KEY"], !k.isEmpty {
            guard let source = StoreKeySource.secret(base64: k) else { throw ValidationError("FURROW_KEY: base64 of 32 bytes (openssl rand -base64 32)") }
            return source
        }
        if let f = env["FURROW_KEY_FILE"], !f.isEmpty { return .file(f) }
        return nil
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load a directory of core-banking extracts (all or nothing), run the nightly rules, and tell workstations to refresh.")
        @Argument(help: "The directory holding customers.csv, accounts.csv, …") var directory: String
        @Option(help: "The branch's store (created if missing).") var store: String
        @Option(help: ArgumentHelp("The extract's date (default: today).", valueName: "YYYY-MM-DD")) var asOf: CalendarDate?
        @Flag(help: "Import the valid rows and write the rejected ones to rejects.csv in the directory.") var skipInvalid = false

        func run() throws {
            let db = try Branch.open(store, mustExist: false)
            let day = asOf ?? db.today
            let outcome = try BranchImport.run(store: db, directory: URL(fileURLWithPath: directory), asOf: day,
                                               skipInvalid: skipInvalid, actor: Branch.admin)
            for issue in outcome.report.issues.prefix(100) { FileHandle.standardError.write(Data("\(issue)\n".utf8)) }
            guard outcome.report.committed else {
                FileHandle.standardError.write(Data("nothing was imported; the branch's store is unchanged\n".utf8))
                throw ExitCode(1)
            }
            for f in outcome.report.files { print("  \(f.file)  \(f.imported) imported\(f.rejected > 0 ? ", \(f.rejected) rejected" : "")") }
            if let n = outcome.nightly?.report {
                print("nightly: \(n.customers) customers, \(n.reminders.created) reminders created, \(n.casesOpened) retention cases opened")
            }
            if let a = outcome.nightly?.attribution, a.conversions > 0 {
                print("campaigns: \(a.conversions) conversions, ¥\(Money(fen: a.amountFen).formatted()) to \(a.campaigns) campaigns")
            }
            if let p = outcome.nightly?.prospects, p.converted + p.possible > 0 {
                print("prospects: \(p.converted) now customers, \(p.possible) possible matches for their RMs to confirm")
            }
            print("extract generation \(outcome.generation): workstations refresh their customers at their next sync")
            if !outcome.report.issues.isEmpty { throw ExitCode(2) }
        }
    }

    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a branch store from the bundled demo branch; every staff member gets the password read from standard input.")
        @Option(help: "The branch's store (replaced).") var store: String
        @Option(help: "How many customers (1 to 1,000,000).") var customers = 2000
        @Option(help: "The generator's seed.") var seed: UInt64 = 7
        @Option(help: ArgumentHelp("The extract's date (default: today).", valueName: "YYYY-MM-DD")) var asOf: CalendarDate?

        func run() throws {
            guard (1...1_000_000).contains(customers) else { throw ValidationError("--customers must be 1…1,000,000") }
            guard let password = readLine() else { throw ValidationError("give the demo password on standard input") }
            // Checked before the old store is removed (BranchDemo checks again: the rule has one home).
            if let problem = BranchPasswords.problem(password) { throw ValidationError("password: \(problem)") }
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: store + suffix) }
            let db = try Branch.open(store, mustExist: false)
            let day = asOf ?? db.today
            let url = URL(fileURLWithPath: store)
            let extract = url.deletingLastPathComponent().appendingPathComponent(url.deletingPathExtension().lastPathComponent + "-extract")
            let (summary, outcome) = try BranchDemo.create(store: db, extractDirectory: extract, customers: customers, seed: seed,
                                                           asOf: day, password: password, actor: Branch.admin)
            print("demo branch in \(store): \(summary.customers) customers, extract generation \(outcome.generation)")
            print("staff who may sign in (all with the password given):")
            for m in summary.staff { print("  \(m.staffID)  \(m.name)  \(m.role)\(m.team.map { "  \($0)" } ?? "")") }
            print("next: furrow-branch serve --store \(store)")
        }
    }

    struct Compact: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Drop changes older than the window from the change feed (workstations offline longer re-snapshot after pushing).")
        @Option(help: "The branch's store.") var store: String
        @Option(help: "Keep this many days of changes.") var keepDays = 180
        func run() throws {
            guard keepDays >= 1 else { throw ValidationError("--keep-days must be at least 1") }
            let (removed, floor) = try Branch.storage(store).compactFeed(keepingDays: keepDays)
            print("removed \(removed) changes older than \(keepDays) days; workstations behind change \(floor) re-snapshot at their next sync")
        }
    }

    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure sync (first sync, reconnect, many clients) against a real server on loopback (docs/benchmarks.md).")
        @Argument(help: "What to measure: sync.") var what: String
        @Option(help: "A branch store with an RM of about 5,000 customers (users for its RMs are set to a bench password).") var store: String
        @Option(help: "Concurrent clients.") var clients = 200
        @Option(help: "Ops each client pushes.") var ops = 50

        func run() async throws {
            guard what == "sync" else { throw ValidationError("furrow-branch bench measures: sync") }
            var bench = SyncBench(branchPath: store, serverBinary: Bundle.main.executablePath ?? CommandLine.arguments[0])
            bench.clients = clients
            bench.opsPerClient = ops
            try await bench.run { print($0) }
        }
    }

    struct Devices: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Signed-in devices: list them, revoke one.",
                                                        subcommands: [List.self, Revoke.self])
        struct List: ParsableCommand {
            @Option(help: "The branch's store.") var store: String
            @Option(help: "Only this staff member's devices.") var user: String?
            func run() throws {
                let devices = try Branch.storage(store).deviceTokens(staffID: user)
                if devices.isEmpty { print("no devices have signed in") }
                for d in devices {
                    let state = d.revokedAt.map { "revoked \($0)" } ?? "valid until \(d.expiresAt)"
                    print("\(d.id)  \(d.staffID)  \(Terminal.safe(d.device))  signed in \(d.createdAt)  \(state)")
                }
            }
        }
        struct Revoke: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "End a device's token now (its next request is refused).")
            @Argument(help: "The device's id from `devices list`.") var id: String
            @Option(help: "The branch's store.") var store: String
            @Flag(help: "The device is lost: at its next contact it erases its store and token, pushing nothing.") var lost = false
            func run() throws {
                do {
                    let d = try Branch.storage(store).revokeDevice(id: id, lost: lost, by: Branch.admin)
                    print("revoked \(d.staffID)'s device \(Terminal.safe(d.device))"
                          + (lost ? "; at its next contact it erases its store and token (`furrow-branch audit` shows when)" : ""))
                } catch let e as StoreError { throw ValidationError(e.description) }
            }
        }
    }

    struct AuditTrail: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "audit", abstract: "Who did what: sign-ins, synced writes, rejections, reveals.")
        @Option(help: "The branch's store.") var store: String
        @Option(help: "Only this staff member's entries.") var user: String?
        @Option(help: "Only entries about this customer.") var customer: String?
        @Option(help: "At most this many, newest first.") var limit = 100
        func run() throws {
            for e in try Branch.storage(store).auditTrail(customerID: customer, actor: user, limit: limit) {
                print(Terminal.safe("\(e.at)  \(e.actor)  \(e.action)\(e.customerID.map { "  \($0)" } ?? "")\(e.detail.map { "  \($0)" } ?? "")"))
            }
        }
    }

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Serve login, push and pull over HTTP.")
        @Option(help: "The branch's store.") var store: String
        @Option(help: "Address to listen on.") var host = "127.0.0.1"
        @Option(help: "Port (0: any free port; the line \"listening on URL\" says which).") var port = 8420
        @Option(help: "The server's certificate chain (PEM): serve HTTPS.") var tlsCert: String?
        @Option(help: "The certificate's private key (PEM).") var tlsKey: String?
        @Flag(help: "Serve plain HTTP on an address other machines reach (passwords and customer data cross the network in clear).")
        var insecure = false

        func validate() throws {
            guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
            if tlsCert == nil, !PlainHTTP.isLoopback(host), !insecure {
                throw ValidationError("""
                    serving plain HTTP on \(host) would send passwords and customer data across the network in clear: \
                    give --tls-cert and --tls-key, or --insecure to do it anyway
                    """)
            }
            guard (0...65535).contains(port) else { throw ValidationError("--port: 0 to 65535") }
        }

        func run() async throws {
            let db = try Branch.storage(store)
            let tls = tlsCert.map { BranchApplication.TLSFiles(certificate: $0, key: tlsKey ?? "") }
            let app = try application(db, tls)
            if tls == nil && !PlainHTTP.isLoopback(host) {
                FileHandle.standardError.write(Data("warning: serving plain HTTP on \(host) (--insecure): passwords and customer data cross the network unencrypted\n".utf8))
            }
            try await app.runService()
        }

        func application(_ db: some BranchStorage, _ tls: BranchApplication.TLSFiles?) throws -> some ApplicationProtocol {
            let scheme = tls == nil ? "http" : "https", host = self.host
            // Said once the socket is bound, so whoever started the server (a script, a test
            // with --port 0) knows where it is, and that it is up.
            let listening: @Sendable (Int) async -> Void = { port in
                let shown = host.contains(":") ? "[\(host)]" : host
                FileHandle.standardOutput.write(Data("listening on \(scheme)://\(shown):\(port)\n".utf8))
            }
            do {
                return try BranchApplication.make(store: db, host: host, port: port, tls: tls, onRunning: listening)
            } catch { throw ValidationError(error.description) }
        }
    }

    struct Users: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Who may sign in (staff of the branch's extract).",
                                                        subcommands: [Add.self, ResetPassword.self, List.self, Disable.self, Enable.self])

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Give a staff member a password (read from standard input).")
            @Argument(help: "The staff ID.") var staffID: String
            @Option(help: "The branch's store.") var store: String

            func run() throws {
                guard let password = readLine() else { throw ValidationError("give the password on standard input") }
                let db = try Branch.storage(store, mustExist: false)
                let existed = try db.branchUsers().contains { $0.staffID == staffID }
                do {
                    try BranchPasswords.set(password, staffID: staffID, store: db, by: ProcessInfo.processInfo.environment["USER"] ?? "admin")
                } catch let refusal as BranchPasswords.Refusal { throw ValidationError("password: \(refusal)") }
                print(existed ? "\(staffID)'s password is changed; their devices must sign in again" : "\(staffID) may sign in")
            }
        }

        struct ResetPassword: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "reset-password",
                                                            abstract: "Set a new password (standard input) and revoke the user's devices.")
            @Argument(help: "The staff ID.") var staffID: String
            @Option(help: "The branch's store.") var store: String
            func run() throws {
                guard let password = readLine() else { throw ValidationError("give the password on standard input") }
                let db = try Branch.storage(store)
                guard try db.branchUsers().contains(where: { $0.staffID == staffID }) else {
                    throw ValidationError("\(staffID) is not a user yet: furrow-branch users add \(staffID)")
                }
                do {
                    try BranchPasswords.set(password, staffID: staffID, store: db, by: Branch.admin)   // revokes their devices
                } catch let refusal as BranchPasswords.Refusal { throw ValidationError("password: \(refusal)") }
                print("\(staffID)'s password is reset; their devices must sign in again")
            }
        }

        struct List: ParsableCommand {
            @Option(help: "The branch's store.") var store: String
            func run() throws {
                for u in try Branch.storage(store, mustExist: false).branchUsers() {
                    print("\(u.staffID)  \(u.name)  \(u.role.rawValue)  \(u.team ?? "")\(u.disabled ? "  disabled" : "")")
                }
            }
        }

        struct Disable: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Stop a user signing in and revoke their tokens.")
            @Argument(help: "The staff ID.") var staffID: String
            @Option(help: "The branch's store.") var store: String
            func run() throws {
                try Branch.storage(store, mustExist: false).setBranchUserDisabled(staffID, true, by: ProcessInfo.processInfo.environment["USER"] ?? "admin")
                print("\(staffID) disabled; their tokens are revoked")
            }
        }

        struct Enable: ParsableCommand {
            @Argument(help: "The staff ID.") var staffID: String
            @Option(help: "The branch's store.") var store: String
            func run() throws {
                try Branch.storage(store, mustExist: false).setBranchUserDisabled(staffID, false, by: ProcessInfo.processInfo.environment["USER"] ?? "admin")
                print("\(staffID) enabled")
            }
        }
    }
}
