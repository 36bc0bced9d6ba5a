import ArgumentParser
import Foundation
import FurrowStore

/// `furrow segment override CUSTOMER --high|--low|--clear`: the RM's judgement of product acceptance.
struct SegmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "segment", abstract: "Override a customer's product acceptance (segments A–H).",
                                                    subcommands: [Override.self])

    struct Override: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set high or low product acceptance, or clear the override; the next nightly run applies it.")
        @Argument(help: "The customer ID.") var customer: String
        @Flag(exclusivity: .exclusive) var value: Value
        @OptionGroup var storeOptions: StoreOptions

        enum Value: EnumerableFlag { case high, low, clear }

        func run() throws {
            let store = try storeOptions.openExisting()
            let high: Bool? = value == .clear ? nil : value == .high
            do { try store.setAcceptanceOverride(customerID: customer, high: high, by: StorePaths.actor) } catch { throw CLIError(error.description) }
            print("\(customer): product acceptance \(value) (from the next nightly run)")
        }
    }
}
