import ArgumentParser
import Foundation
import FurrowCore
import FurrowStore

/// `furrow plan CUSTOMER`: the service a customer gets, and why.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plan", abstract: "Show a customer's service plan, contact cadence and preferences.")
    @Argument(help: "The customer ID.") var customer: String
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var rules: RulesOptions

    func run() throws {
        let config = try rules.load()
        let store = try storeOptions.openExisting()
        do {
            guard let plan = try store.servicePlan(customerID: customer, rules: config) else { throw CLIError("no customer \(customer)") }
            print("\(customer): \(plan.reason)")
            print("  contact every " + (plan.cadenceDays.map { "\($0) days" } ?? "— (the system's SMS)"))
            for item in plan.items { print("  \(item.rawValue) \(item.label)") }
            print("  preferences: " + ((try store.preferences(customerID: customer))?.summary ?? "none recorded"))
            for u in try store.upgrades().filter({ $0.customerID == customer }) {
                print("  一户一策 \(u.upgradeID): \(u.servedAs.rawValue), \(u.status) — \(u.reason)")
            }
        } catch let e as StoreError { throw CLIError(e.description) }
    }
}

/// `furrow upgrade`: one customer, one strategy (一户一策).
struct UpgradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upgrade", abstract: "Serve a customer above their tier: an RM requests, a team lead decides.",
        subcommands: [Request.self, Approve.self, Reject.self, List.self])

    struct Request: ParsableCommand {
        @Argument(help: "The customer ID.") var customer: String
        @Option(help: "Serve as: wealth, affluent or private.") var to: String
        @Option(help: "Why (a promising future private-bank client…).") var reason: String
        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            guard let tier = Tier(rawValue: to) else { throw ValidationError("--to must be wealth, affluent or private") }
            let store = try storeOptions.openExisting()
            do {
                let u = try store.requestUpgrade(customerID: customer, to: tier, reason: reason, by: StorePaths.actor)
                print("\(u.upgradeID): requested; a team lead approves with `furrow upgrade approve \(u.upgradeID)`")
            } catch { throw CLIError(error.description) }
        }
    }

    struct Approve: ParsableCommand {
        @Argument(help: "The request ID.") var id: String
        @Option(help: "A note for the RM.") var note: String?
        @OptionGroup var storeOptions: StoreOptions
        func run() throws {
            let store = try storeOptions.openExisting()
            do { try store.decideUpgrade(id, approve: true, note: note, by: StorePaths.actor) } catch { throw CLIError(error.description) }
            print("\(id): approved")
        }
    }

    struct Reject: ParsableCommand {
        @Argument(help: "The request ID.") var id: String
        @Option(help: "Why not.") var note: String?
        @OptionGroup var storeOptions: StoreOptions
        func run() throws {
            let store = try storeOptions.openExisting()
            do { try store.decideUpgrade(id, approve: false, note: note, by: StorePaths.actor) } catch { throw CLIError(error.description) }
            print("\(id): rejected")
        }
    }

    struct List: ParsableCommand {
        @Flag(help: "Only those waiting for a decision.") var pending = false
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var storeOptions: StoreOptions
        func run() throws {
            let store = try storeOptions.openExisting()
            let list: [ServiceUpgrade]
            do { list = try store.upgrades(status: pending ? "pending" : nil) } catch { throw CLIError(error.description) }
            if json { try JSONOutput.print(list); return }
            if list.isEmpty { print("No requests."); return }
            for u in list { print("\(u.upgradeID)  \(u.customerID)  → \(u.servedAs.rawValue)  \(u.status)  by \(u.requestedBy)  \(u.reason)") }
        }
    }
}

/// `furrow prefs set`: how the customer wants to be contacted.
struct PrefsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "prefs", abstract: "Record a customer's contact preferences.",
                                                    subcommands: [Set.self])

    struct Set: ParsableCommand {
        @Argument(help: "The customer ID.") var customer: String
        @Option(help: "Preferred channel: \(InteractionChannel.allCases.map(\.rawValue).joined(separator: ", ")).") var channel: String?
        @Option(help: "Quiet hours, HH:MM-HH:MM.") var quiet: String?
        @Flag(help: "No home visits.") var noHomeVisits = false
        @Option(help: "At most this many contacts a month.") var cap: Int?
        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            var channelValue: InteractionChannel?
            if let channel {
                guard let c = InteractionChannel(rawValue: channel) else { throw ValidationError("--channel: \(InteractionChannel.allCases.map(\.rawValue).joined(separator: ", "))") }
                channelValue = c
            }
            let store = try storeOptions.openExisting()
            let p = ContactPreferences(preferredChannel: channelValue, quietHours: quiet, noHomeVisits: noHomeVisits, monthlyCap: cap)
            do { try store.setPreferences(customerID: customer, p, by: StorePaths.actor) } catch { throw CLIError(error.description) }
            print("\(customer): \(p.summary)")
        }
    }
}
