import ArgumentParser
import Foundation
import FurrowStore

/// `--store PATH`, shared by every command that opens the store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The store file (default: $FURROW_STORE, else furrow.sqlite in the XDG data directory).")
    var store: String?

    @Flag(name: .long, help: "Open a store that others on this computer may read (it holds customers' personal data).")
    var allowSharedStore = false

    var path: String { store ?? StorePaths.defaultStore }

    func open(interactive: Bool = false) throws -> AppDatabase {
        try Self.open(path, interactive: interactive, allowShared: allowSharedStore)
    }

    /// The store at `path`, its errors as the CLI says them.
    static func open(_ path: String, interactive: Bool = false, allowShared: Bool = false) throws -> AppDatabase {
        do { return try AppDatabase.open(path: path, interactive: interactive, allowShared: allowShared) } catch {
            throw CLIError(error.description)
        }
    }

    /// Opens an existing store; a missing file is an error, not a new empty store.
    func openExisting(interactive: Bool = false) throws -> AppDatabase {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIError("no store at \(path); create one with `furrow demo` or `furrow import DIR`, or choose one with --store")
        }
        return try open(interactive: interactive)
    }
}

enum StorePaths {
    static var dataDirectory: String {
        let env = ProcessInfo.processInfo.environment
        if let x = env["XDG_DATA_HOME"], !x.isEmpty { return x + "/furrow" }
        return (env["HOME"] ?? NSHomeDirectory()) + "/.local/share/furrow"
    }

    /// Settings, theme overrides and the PIN: $XDG_CONFIG_HOME/furrow, else ~/.config/furrow.
    static var configDirectory: String {
        let env = ProcessInfo.processInfo.environment
        if let x = env["XDG_CONFIG_HOME"], !x.isEmpty { return x + "/furrow" }
        return (env["HOME"] ?? NSHomeDirectory()) + "/.config/furrow"
    }

    static var defaultStore: String {
        if let s = ProcessInfo.processInfo.environment["FURROW_STORE"], !s.isEmpty { return s }
        return dataDirectory + "/furrow.sqlite"
    }

    static var demoStore: String {
        if let s = ProcessInfo.processInfo.environment["FURROW_STORE"], !s.isEmpty { return s }
        return dataDirectory + "/demo.sqlite"
    }

    /// Who is at the keyboard, for the audit trail: $FURROW_USER (a staff id), else the login name.
    static var actor: String {
        let env = ProcessInfo.processInfo.environment
        return env["FURROW_USER"] ?? env["USER"] ?? "unknown"
    }
}

/// An error for a person: printed as `Error: …` with exit code 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

/// A store whose personal data is sealed under the user's PIN opens locked: what needs the
/// values in clear (a reveal, a sync, an import, the workstation) asks for the PIN first.
enum StoreUnlock {
    /// `adoptPIN`: a store still under its key file while the user has a PIN (set before the
    /// store was made, or before sealing) is moved under the PIN, which is asked for once.
    static func ensure(_ store: AppDatabase, adoptPIN: Bool = true) throws {
        let state: AppDatabase.SealingState
        do { state = try store.sealingState() } catch { throw CLIError(error.description) }
        if adoptPIN, state == .unlocked { try adopt(store) }
        guard case .locked(wrap: "pin") = state else { return }
        if let wait = store.pinWait() {
            throw CLIError("too many wrong PINs: try again in \(wait) s")
        }
        for _ in 1...3 {
            guard let pin = PINFile.ask("PIN (opens this store's personal data): ") else { break }
            do {
                try store.unlock(.pin(pin))
                return
            } catch {
                // Wrong PINs wait longer each time after the first three, counted in the store
                // (a new start does not reset them): then the command stops and says how long.
                if let wait = store.pinWait() {
                    throw CLIError("wrong PIN: the next try waits \(wait) s (wrong PINs in a row: \(store.pinFailures().count))")
                }
                FileHandle.standardError.write(Data("wrong PIN\n".utf8))
            }
        }
        throw CLIError("the store's personal data stays locked: the PIN was not given or was wrong")
    }

    private static func adopt(_ store: AppDatabase) throws {
        guard (try? store.keyWrap()) == "key", let hash = try PINFile.read() else { return }
        // Not asked, or asked of a script: the store stays under its key file until next time.
        guard let pin = PINFile.ask("PIN (from now on this store's personal data opens only with it): ") else { return }
        guard hash.verify(pin) else {
            FileHandle.standardError.write(Data("wrong PIN: the store stays under its key file for now\n".utf8))
            return
        }
        do { try store.rewrap(to: .pin(pin)) } catch { throw CLIError(error.description) }
    }
}
