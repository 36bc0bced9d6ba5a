import ArgumentParser
import Foundation
import FurrowCore
import FurrowRulesFile

/// `furrow rules check FILE`, `furrow rules show`: the rules file.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "Check a rules file, or print the default rules as one.",
        subcommands: [Check.self, Show.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Say what is wrong in a rules file and where (exit 1), or that it is good.")

        @Argument(help: "The rules file (TOML).")
        var file: String

        func run() throws {
            do {
                let c = try RulesFile.load(path: file)
                print("\(file): good — tiers \(c.tiers.wealth.formattedWan())/\(c.tiers.affluent.formattedWan())/\(c.tiers.privateBanking.formattedWan()), "
                      + "\(c.workCalendar.holidays.count) holidays, \(c.workCalendar.makeUpWorkdays.count) make-up workdays")
            } catch {
                for p in error.problems { printError(p.description) }
                throw ExitCode(1)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the default rules as a rules file.")
        func run() { print(RulesFile.text(of: .standard), terminator: "") }
    }
}

/// `--rules FILE` for the commands that apply the rules.
struct RulesOptions: ParsableArguments {
    @Option(help: "A rules file (default: $FURROW_RULES, else the built-in rules; see `furrow rules show`).")
    var rules: String?

    func load() throws -> RulesConfig {
        guard let path = rules ?? ProcessInfo.processInfo.environment["FURROW_RULES"] else { return .standard }
        do { return try RulesFile.load(path: path) } catch { throw CLIError(error.description) }
    }
}
