import ArgumentParser
import Foundation
import FurrowCore
import FurrowServer
import FurrowStore
import Hummingbird

/// `furrow-branch`: the branch server. Parsing only; the work is in FurrowServer and FurrowStore.
@main
struct Branch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "furrow-branch", abstract: "The branch server: serve, and manage who may sign in.",
        subcommands: [Serve.self, Users.self])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Serve login, push and pull over HTTP.")
        @Option(help: "The branch's store.") var store: String
        @Option(help: "Address to listen on.") var host = "127.0.0.1"
        @Option(help: "Port.") var port = 8420

        func run() async throws {
            let db = try AppDatabase.open(path: store)
            let app = Application(router: BranchServer.router(store: db),
                                  configuration: .init(address: .hostname(host, port: port), serverName: "furrow-branch"))
            try await app.runService()
        }
    }

    struct Users: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Who may sign in (staff of the branch's extract).",
                                                        subcommands: [Add.self, List.self, Disable.self, Enable.self])

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Give a staff member a password (read from standard input).")
            @Argument(help: "The staff ID.") var staffID: String
            @Option(help: "The branch's store.") var store: String

            func run() throws {
                guard let password = readLine(), password.count >= 8 else {
                    throw ValidationError("give the password on standard input, at least 8 characters")
                }
                let db = try AppDatabase.open(path: store)
                try db.setBranchUser(staffID: staffID, passwordHash: BranchServer.hashPassword(password),
                                     by: ProcessInfo.processInfo.environment["USER"] ?? "admin")
                print("\(staffID) may sign in")
            }
        }

        struct List: ParsableCommand {
            @Option(help: "The branch's store.") var store: String
            func run() throws {
                for u in try AppDatabase.open(path: store).branchUsers() {
                    print("\(u.staffID)  \(u.name)  \(u.role.rawValue)  \(u.team ?? "")\(u.disabled ? "  disabled" : "")")
                }
            }
        }

        struct Disable: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Stop a user signing in and revoke their tokens.")
            @Argument(help: "The staff ID.") var staffID: String
            @Option(help: "The branch's store.") var store: String
            func run() throws {
                try AppDatabase.open(path: store).setBranchUserDisabled(staffID, true, by: ProcessInfo.processInfo.environment["USER"] ?? "admin")
                print("\(staffID) disabled; their tokens are revoked")
            }
        }

        struct Enable: ParsableCommand {
            @Argument(help: "The staff ID.") var staffID: String
            @Option(help: "The branch's store.") var store: String
            func run() throws {
                try AppDatabase.open(path: store).setBranchUserDisabled(staffID, false, by: ProcessInfo.processInfo.environment["USER"] ?? "admin")
                print("\(staffID) enabled")
            }
        }
    }
}
