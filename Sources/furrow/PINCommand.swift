import ArgumentParser
import Foundation
import FurrowStore
import Workstation

/// `furrow pin set|clear`: the PIN that unlocks the workstation after the privacy key or the
/// idle lock. Kept hashed (PBKDF2) in a file only the user can read.
struct PINCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pin", abstract: "Set or clear the PIN that unlocks the workstation.",
        subcommands: [Set.self, Clear.self])

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set the PIN (asked twice, not shown).")

        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            // The store's personal data is opened first (with its key file, or the current PIN).
            let store = FileManager.default.fileExists(atPath: storeOptions.path) ? try storeOptions.open() : nil
            if let store { try StoreUnlock.ensure(store, adoptPIN: false) }
            guard let first = PINFile.ask("New PIN (4–12 digits): ") else { throw CLIError("no PIN given") }
            if let problem = PINHash.validate(first) { throw CLIError(problem) }
            guard PINFile.ask("Again: ") == first else { throw CLIError("the two PINs differ; nothing changed") }
            if let store {
                do { try store.rewrap(to: .pin(first)) } catch { throw CLIError(error.description) }
            }
            try PINFile.write(try PINHash.make(pin: first))
            print("PIN set (\(PINFile.path)). The workstation locks after 10 idle minutes; idle_lock_minutes in config.toml changes that.")
            if store != nil {
                print("The store's ID numbers, mobiles and addresses now open only with this PIN (its key file is gone).")
            }
        }
    }

    struct Clear: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove the PIN (the idle lock then stays off).")

        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            if FileManager.default.fileExists(atPath: storeOptions.path) {
                // Asks the current PIN: the store's key is wrapped by a key file again.
                let store = try storeOptions.open()
                try StoreUnlock.ensure(store, adoptPIN: false)
                do { try store.rewrap(to: .besideStore(storeOptions.path)) } catch { throw CLIError(error.description) }
            }
            try? FileManager.default.removeItem(atPath: PINFile.path)
            print("PIN removed.")
        }
    }
}

enum PINFile {
    static var path: String { StorePaths.configDirectory + "/pin" }

    static func read() throws -> PINHash? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        guard let hash = PINHash(encoded: String(decoding: data, as: UTF8.self)) else {
            throw CLIError("\(path): not a PIN file furrow wrote; remove it or run `furrow pin set`")
        }
        return hash
    }

    static func write(_ hash: PINHash) throws {
        let dir = StorePaths.configDirectory
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // Created 0600 before anything is written, so the hash is never readable by others.
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw CLIError("\(path): cannot be written: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        fchmod(fd, 0o600)
        let bytes = Array((hash.encoded + "\n").utf8)
        guard Glibc.write(fd, bytes, bytes.count) == bytes.count else { throw CLIError("\(path): write failed") }
    }

    /// Reads a line without echo on a terminal (plain readLine otherwise, for scripts and tests).
    static func ask(_ prompt: String) -> String? {
        FileHandle.standardError.write(Data(prompt.utf8))
        guard isatty(STDIN_FILENO) == 1 else { return readLine() }
        var old = termios()
        tcgetattr(STDIN_FILENO, &old)
        var quiet = old
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet)
        defer {
            tcsetattr(STDIN_FILENO, TCSANOW, &old)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine()
    }
}
