import ArgumentParser
import Foundation
import FurrowStore
import FurrowSync

/// `furrow login`: sign in to the branch server for this store; the device token is kept in
/// `<store>.token` (mode 0600).
struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login", abstract: "Sign in to the branch server (the password is read without echo, or from standard input).")
    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "The branch server, e.g. http://10.0.0.5:8420.") var server: String
    @Option(help: "Your staff ID.") var user: String
    @Option(help: "A name for this device (default: the host name).") var device: String?
    @Option(help: "The CA certificate (PEM) the branch server's HTTPS certificate comes from, when this computer does not trust it already.")
    var caCert: String?
    @Flag(help: "Allow plain HTTP to a server on another machine (the password and customers' data then cross the network in clear).")
    var insecure = false

    func validate() throws {
        guard server.hasPrefix("http://") || server.hasPrefix("https://") else {
            throw ValidationError("--server: give the address with http:// or https://, e.g. http://127.0.0.1:8420")
        }
        if caCert != nil, !server.hasPrefix("https://") { throw ValidationError("--ca-cert is for an https:// server") }
        if PlainHTTP.isExposed(server), !insecure { throw ValidationError(PlainHTTP.refusal(server)) }
    }

    func run() async throws {
        guard let password = PasswordPrompt.read(prompt: "Password for \(user) at \(server): "), !password.isEmpty else {
            throw CLIError("no password given")
        }
        let name = device ?? ProcessInfo.processInfo.hostName
        if PlainHTTP.isExposed(server) {
            FileHandle.standardError.write(Data("warning: \(server) is not encrypted (--insecure): your password and customers' data cross the network in clear\n".utf8))
        }
        let ca = caCert.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        do {
            let http = try TrustedHTTPClient.client(trusting: ca)
            // Signing in again on this device: its current token shows the branch a known device.
            let previous = (try? Credentials.load(forStore: storeOptions.path)) ?? nil
            let held = previous.flatMap { $0.user == user && $0.server == server ? $0.token : nil }
            let answer = try await SyncClient(server: server, http: http).login(user: user, password: password, device: name, deviceToken: held)
            try Credentials(server: server, user: user, token: answer.token, expiresAt: answer.expiresAt, caCert: ca, insecure: insecure)
                .save(forStore: storeOptions.path)
            print("signed in as \(user) (\(answer.role)) on \(name); the token is valid until \(answer.expiresAt)")
            print("run `furrow sync` to fetch your customers")
        } catch {
            throw CLIError(error.description)
        }
    }
}

/// `furrow logout`: forgets this store's token (revoking it is `furrow-branch devices revoke`).
struct LogoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logout",
                                                    abstract: "Sign this device out: the branch revokes its token, and this store forgets it.")
    @OptionGroup var storeOptions: StoreOptions
    func run() async throws {
        let stored: Credentials?
        do { stored = try Credentials.load(forStore: storeOptions.path) } catch { throw CLIError("\(error)") }
        guard let credentials = stored else {
            print("not signed in; nothing to do")
            return
        }
        var revoked = true
        do {
            let http = try TrustedHTTPClient.client(trusting: credentials.caCert)
            try await SyncClient(server: credentials.server, token: credentials.token, http: http).logout()
        } catch SyncError.signInAgain {
            // Already expired or revoked at the branch: nothing left to revoke.
        } catch {
            revoked = false
            FileHandle.standardError.write(Data("""
                warning: the branch could not be told (\(error)); the token still works there until it expires: \
                ask an administrator to run `furrow-branch devices revoke` for this device\n
                """.utf8))
        }
        Credentials.remove(forStore: storeOptions.path)
        print("signed out; the store and its unsent work are kept")
        if !revoked { throw ExitCode(1) }
    }
}

/// `furrow sync`: one sync now — push the outbox, fetch a snapshot when needed, pull changes.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Send your work to the branch server and fetch what changed (a first sync fetches your customers).")
    @OptionGroup var storeOptions: StoreOptions
    @Flag(help: "Print the summary as JSON.") var json = false
    @Option(help: "Changes per request (1 to 1000; default 1000, snapshots 500): smaller on a weak connection, each page is kept as it arrives.")
    var pageSize: Int?
    @Option(help: "Tries again this many times (0 to 20; default 3) when the branch cannot be reached or is busy, waiting 1 s, 2 s, 4 s… in between.")
    var retries = 3

    func validate() throws {
        if let pageSize, !(1...1000).contains(pageSize) { throw ValidationError("--page-size: 1 to 1000") }
        if !(0...20).contains(retries) { throw ValidationError("--retries: 0 to 20") }
    }

    func run() async throws {
        guard let credentials = try syncCall({ try Credentials.load(forStore: storeOptions.path) }) else {
            throw CLIError(SyncError.notSignedIn.description)
        }
        let store = try storeOptions.open()
        try StoreUnlock.ensure(store)
        var engine = SyncEngine(store: store, client: try syncCall { try credentials.client() })
        if let pageSize { (engine.pushBatch, engine.pullPage, engine.snapshotPage) = (pageSize, pageSize, pageSize) }
        let bar = ProgressBar(label: "sync")
        let summary: SyncSummary
        do {
            summary = try await engine.run(retry: SyncRetry(attempts: retries + 1), onRetry: { error, failures, wait in
                bar.finish()
                let seconds = String(format: "%.1f", wait.seconds)
                FileHandle.standardError.write(Data("\(error.description)\n  trying again in \(seconds) s (\(failures) of \(retries))\n".utf8))
            }) { what, done, total in
                bar.update(total > 0 ? Double(done) / Double(total) : 1, detail: "\(what) \(done)/\(total)")
            }
        } catch .wipe(let reason) {
            bar.finish()
            RemoteWipe.removeFiles(forStore: storeOptions.path)
            throw CLIError("\(reason): erased \(storeOptions.path) and its token")
        } catch {
            bar.finish()
            let pending = (try? store.pendingOpCount()) ?? 0
            throw CLIError(error.description + (pending > 0 ? " (\(pending) changes wait to be sent)" : ""))
        }
        bar.finish()
        if json {
            let enc = JSONEncoder()
            enc.outputFormatting = [.sortedKeys]
            print(String(decoding: try enc.encode(summary), as: UTF8.self))
        } else {
            print("synced: \(summary.line)")
            let rejected = (try? store.rejectedOps()) ?? []
            for op in rejected.prefix(20) {
                print("  rejected \(op.kind) \(op.customerID ?? ""): \(op.reason ?? op.code ?? "")")
            }
            if rejected.count > 20 { print("  … and \(rejected.count - 20) more (the Sync screen lists them all)") }
        }
    }

    private func syncCall<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw CLIError("\(error)") }
    }
}

/// Reads a password without echo from the terminal, or a line from standard input when it is not one.
enum PasswordPrompt {
    static func read(prompt: String) -> String? {
        guard isatty(STDIN_FILENO) == 1 else { return readLine(strippingNewline: true) }
        FileHandle.standardError.write(Data(prompt.utf8))
        var old = termios()
        tcgetattr(STDIN_FILENO, &old)
        var quiet = old
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &old)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true)
    }
}
