import ArgumentParser
import Foundation
import FurrowCore
import FurrowStore

/// `furrow complaint`: a complaint's closed loop from the command line.
struct ComplaintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "complaint", abstract: "Move a complaint along its loop, record the callback, show its history.",
        subcommands: [Advance.self, Callback.self, History.self])

    struct Advance: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "received → assigned → in_progress → resolved → confirmed → closed (each step recorded).")
        @Argument(help: "The complaint ID.") var id: String
        @Option(help: "The next status: \(ComplaintStatus.allCases.map(\.rawValue).joined(separator: ", ")).") var to: String
        @Option(help: "Who handles it (assigning).") var owner: String?
        @Option(help: "What was done (needed to resolve or close).") var note: String?
        @OptionGroup var storeOptions: StoreOptions

        func validate() throws {
            guard ComplaintStatus(rawValue: to) != nil else {
                throw ValidationError("--to must be one of \(ComplaintStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run() throws {
            let store = try storeOptions.openExisting()
            do { try store.advanceComplaint(id, to: ComplaintStatus(rawValue: to)!, owner: owner, note: note, by: StorePaths.actor) } catch {
                throw CLIError(error.description)
            }
            print("\(id): \(to)")
        }
    }

    struct Callback: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The satisfaction callback: --satisfied confirms, --dissatisfied reopens.")
        @Argument(help: "The complaint ID.") var id: String
        @Flag(exclusivity: .exclusive) var answer: Answer
        @Option(help: "What the customer said.") var note: String?
        @OptionGroup var storeOptions: StoreOptions

        enum Answer: EnumerableFlag { case satisfied, dissatisfied }

        func run() throws {
            let store = try storeOptions.openExisting()
            do { try store.recordComplaintCallback(id, satisfied: answer == .satisfied, note: note, by: StorePaths.actor) } catch {
                throw CLIError(error.description)
            }
            print("\(id): \(answer == .satisfied ? "confirmed" : "reopened")")
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every step of a complaint.")
        @Argument(help: "The complaint ID.") var id: String
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            let store = try storeOptions.openExisting()
            let events: [ComplaintEvent]
            do { events = try store.complaintHistory(id) } catch { throw CLIError(error.description) }
            if json { try JSONOutput.print(events); return }
            if events.isEmpty { print("\(id): received, no steps yet."); return }
            for e in events {
                print("\(e.at)  \(e.actor)  \(e.from.rawValue) → \(e.to.rawValue)" + (e.ownerID.map { "  owner \($0)" } ?? "")
                      + (e.note.map { "  \($0)" } ?? ""))
            }
        }
    }
}
