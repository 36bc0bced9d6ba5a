import ArgumentParser
import Foundation
import FurrowCore
import FurrowStore

/// `furrow retention`: churn warnings as cases — open, act, close with the outcome and the reason.
struct RetentionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention", abstract: "Retention cases: open one for a warning, record what was done, close it with the outcome.",
        subcommands: [Open.self, Act.self, Close.self, List.self])

    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A staff member's own churn warning for a customer.")
        @Argument(help: "The customer ID.") var customer: String
        @Option(help: "What you saw (e.g. 说要把定期转到邮储).") var signal: String
        @OptionGroup var storeOptions: StoreOptions
        func run() throws {
            let store = try storeOptions.openExisting()
            do { print(try store.openRetentionCase(customerID: customer, signal: signal, by: StorePaths.actor).caseID) } catch {
                throw CLIError(error.description)
            }
        }
    }

    struct Act: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record what was done.")
        @Argument(help: "The case ID.") var id: String
        @Option(help: "What was done.") var note: String
        @OptionGroup var storeOptions: StoreOptions
        func run() throws {
            let store = try storeOptions.openExisting()
            do { try store.recordRetentionAction(id, note: note, by: StorePaths.actor) } catch { throw CLIError(error.description) }
            print("\(id): recorded")
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close with the outcome and the reason the customer was leaving.")
        @Argument(help: "The case ID.") var id: String
        @Option(help: "retained, partly or lost.") var outcome: String
        @Option(help: "\(RetentionReason.allCases.map(\.rawValue).joined(separator: ", ")).") var reason: String
        @Option(help: "Where the money went (needed unless retained).") var went: String?
        @OptionGroup var storeOptions: StoreOptions

        func validate() throws {
            guard RetentionOutcome(rawValue: outcome) != nil else { throw ValidationError("--outcome must be retained, partly or lost") }
            guard RetentionReason(rawValue: reason) != nil else {
                throw ValidationError("--reason must be one of \(RetentionReason.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run() throws {
            let store = try storeOptions.openExisting()
            do {
                try store.closeRetentionCase(id, outcome: RetentionOutcome(rawValue: outcome)!, reason: RetentionReason(rawValue: reason)!,
                                             moneyWent: went, by: StorePaths.actor)
            } catch { throw CLIError(error.description) }
            print("\(id): closed, \(outcome)")
        }
    }

    struct List: ParsableCommand {
        @Option(help: "One customer.") var customer: String?
        @Flag(help: "Only open cases.") var open = false
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var storeOptions: StoreOptions
        func run() throws {
            let store = try storeOptions.openExisting()
            let cases: [RetentionCase]
            do { cases = try store.retentionCases(customerID: customer, openOnly: open) } catch { throw CLIError(error.description) }
            if json { try JSONOutput.print(cases); return }
            if cases.isEmpty { print("No cases."); return }
            for c in cases {
                print("\(c.caseID)  \(c.customerID)  \(c.status)\(c.outcome.map { " \($0.rawValue)" } ?? "")  owner \(c.ownerID ?? "—")  \(c.signal)")
                for a in c.actions { print("    \(a)") }
            }
        }
    }
}
