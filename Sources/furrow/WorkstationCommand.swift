import ArgumentParser
import Foundation
import FurrowStore
import FurrowSync
import TerminalCurses
import TerminalUI
import Workstation

/// `furrow` with no subcommand: the terminal workstation on the store.
struct WorkstationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open the terminal workstation (the default when no subcommand is given).")

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "Show this RM's customers and tasks (default: yours when you are an RM; a lead sees the team, the president the branch).")
    var rm: String?

    @Option(help: "Theme: default, light, high-contrast, monochrome, or a .toml file (default: the config file's, else default).")
    var theme: String?

    func run() async throws {
        // The session runs on the main actor: one thread for the whole session, outside the
        // small pool that background work (sync) shares.
        try await MainActor.run {
            let store = try storeOptions.openExisting(interactive: true)
            // Before the screen starts: the PIN is asked on the plain terminal.
            try StoreUnlock.ensure(store)
            try WorkstationRunner.run(store: store, storePath: storeOptions.path, user: StorePaths.actor, rm: rm, theme: theme)
        }
    }
}

/// The loop between the terminal and the app: read a key (or time out once a second for the
/// clock and the idle lock), let the app act, draw the frame.
enum WorkstationRunner {
    /// Written after the first full Today frame when FURROW_EXIT_AFTER_FIRST_FRAME is set.
    static let firstFrameMark = "\u{1B}]777;furrow-first-frame\u{07}"

    static func run(store: AppDatabase, storePath: String, user: String, rm: String?, theme: String?) throws {
        let config: WorkstationConfig
        do { config = try WorkstationConfig.load(path: StorePaths.configDirectory + "/config.toml") } catch {
            throw CLIError(error.description)
        }
        let directories = ThemeLoader.defaultSearchDirectories(
            executablePath: Bundle.main.executablePath ?? CommandLine.arguments[0], environment: ProcessInfo.processInfo.environment)
        let chosenTheme: Theme
        do {
            chosenTheme = try (theme ?? config.theme).map { try ThemeLoader.resolve($0, searchDirectories: directories) }
                ?? (try? ThemeLoader.resolve("default", searchDirectories: directories)) ?? .builtIn
        } catch { throw CLIError(String(describing: error)) }
        let pin = try PINFile.read()
        // The bank's rules: --rules / $FURROW_RULES, else the config file's, else the defaults.
        var rulesOptions = RulesOptions()
        rulesOptions.rules = ProcessInfo.processInfo.environment["FURROW_RULES"] ?? config.rules
        let rules = try rulesOptions.load()
        let idleMinutes = config.idleLockMinutes ?? (pin == nil ? 0 : 10)

        let identity = UserIdentity.resolve(user, staff: (try? store.staff()) ?? [])
        let scope: PortfolioScope
        if let rm { scope = .rm(rm) } else {
            switch identity.role {
            case .rm where identity.isStaff: scope = .rm(identity.staffID)
            case .lead where identity.team != nil: scope = .team(identity.team!)
            default: scope = .branch
            }
        }
        let terminal: CursesTerminal
        do { terminal = try CursesTerminal.start(theme: chosenTheme) } catch { throw CLIError(String(describing: error)) }
        defer { terminal.stop() }
        let app = WorkstationApp(
            store: store, user: identity, scope: scope, storeLabel: URL(fileURLWithPath: storePath).lastPathComponent,
            themeName: chosenTheme.name, themeDirectories: directories,
            lock: LockState(pin: pin, idleAfter: idleMinutes > 0 ? Double(idleMinutes) * 60 : nil,
                            failures: PINFailureLog(load: { store.pinFailures() }, save: { store.setPINFailures($0, last: $1) })),
            rules: rules)
        var size = terminal.size
        terminal.draw(app.render(width: size.width, height: size.height))
        let timingStartUp = ProcessInfo.processInfo.environment["FURROW_EXIT_AFTER_FIRST_FRAME"] != nil
        // Signed in to a branch server (`furrow login`): sync in the background.
        let background = timingStartUp ? nil : backgroundSync(store: store, storePath: storePath, minutes: config.syncMinutes ?? 5)
        defer { background?.stop() }
        if let background { app.attachSync(background) }
        // The day's reminders, then the full Today frame.
        app.startUp()
        terminal.draw(app.render(width: size.width, height: size.height))
        // For `furrow bench workstation`: the time to the first full Today frame of a real process.
        // Once the frame is written, a mark the bench watches for stops its clock (an OSC string,
        // which a terminal ignores); closing the store comes after.
        if timingStartUp {
            FileHandle.standardOutput.write(Data(Self.firstFrameMark.utf8))
            return
        }
        while true {
            if let key = terminal.readKey(timeoutMilliseconds: 1000) {
                if key == .resize { terminal.invalidate() }
                switch app.handle(key) {
                case .quit: return
                case .suspend: terminal.suspend()
                case .redraw: break
                }
                if let t = app.pendingTheme {
                    terminal.setTheme(t)
                    app.pendingTheme = nil
                }
            } else {
                // A second without a key: the moment to copy the write-ahead log into the store.
                store.checkpointPassive()
                if !app.tick() { continue }
            }
            size = terminal.size
            terminal.draw(app.render(width: size.width, height: size.height))
        }
    }
}

extension BackgroundSync: SyncControl {}

extension WorkstationRunner {
    static func backgroundSync(store: AppDatabase, storePath: String, minutes: Int) -> BackgroundSync? {
        guard minutes > 0, let credentials = try? Credentials.load(forStore: storePath) else { return nil }
        let client: SyncClient
        do { client = try credentials.client() } catch {
            // Signed in, but the client cannot be made (the CA file moved, say): the status
            // line says so, rather than background sync quietly never happening.
            try? store.setSyncValues([.lastProblem: "\(error)"])
            return nil
        }
        let sync = BackgroundSync(engine: SyncEngine(store: store, client: client),
                                  interval: .seconds(minutes * 60)) {
            // Reported lost: the rows are erased; the files and token go, and the session ends
            // (SIGTERM gives the terminal back).
            RemoteWipe.removeFiles(forStore: storePath)
            kill(getpid(), SIGTERM)
        }
        sync.start()
        return sync
    }
}
