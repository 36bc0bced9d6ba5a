import ArgumentParser
import Foundation
import FurrowStore
import TerminalCurses
import Workstation

/// `furrow` with no subcommand: the terminal workstation on the store.
struct WorkstationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open the terminal workstation (the default when no subcommand is given).")

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "Show this RM's customers (default: $FURROW_USER when that is an RM, else the branch).")
    var rm: String?

    func run() throws {
        let store = try storeOptions.openExisting()
        try WorkstationRunner.run(store: store, rm: rm)
    }
}

/// The loop between the terminal and the app: read a key, let the app act, draw the frame.
enum WorkstationRunner {
    static func run(store: AppDatabase, rm: String?) throws {
        let user = StorePaths.actor
        let staff = (try? store.staff()) ?? []
        let chosen = rm ?? staff.first { $0.staffID == user && $0.role == .rm }?.staffID
        let terminal: CursesTerminal
        do { terminal = try CursesTerminal.start() } catch { throw CLIError(String(describing: error)) }
        defer { terminal.stop() }
        let app = WorkstationApp(store: store, user: user, scope: chosen.map { .rm($0) } ?? .branch)
        var size = terminal.size
        terminal.draw(app.render(width: size.width, height: size.height))
        while true {
            guard let key = terminal.readKey() else { continue }
            if key == .resize { terminal.invalidate() }
            if case .quit = app.handle(key) { break }
            size = terminal.size
            terminal.draw(app.render(width: size.width, height: size.height))
        }
    }
}
