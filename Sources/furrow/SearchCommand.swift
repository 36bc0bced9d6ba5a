import ArgumentParser
import Foundation
import FurrowStore

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find customers by name, pinyin, initials, phone or ID suffix, or customer ID.",
        discussion: """
            Examples: furrow search 王   furrow search 三丰   furrow search zhangsanfeng
                      furrow search zsf   furrow search 5678 (phone or ID last 4)   furrow search 10123X
            Results are ranked: exact matches, then prefixes, then substrings.
            """)

    @Argument(help: "What to look for.")
    var query: String

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "At most this many results.")
    var limit = 20

    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "Show phone and ID numbers unmasked (recorded in the audit trail).")
    var reveal = false

    func validate() throws {
        if query.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("the query is empty") }
        if !(1...1000).contains(limit) { throw ValidationError("--limit must be 1…1000") }
    }

    func run() throws {
        let store = try storeOptions.openExisting()
        let hits: [SearchHit]
        do { hits = try store.search(query, limit: limit) } catch { throw CLIError(error.description) }
        var opened: [String: RevealedIdentity] = [:]
        if reveal {
            try StoreUnlock.ensure(store)
            do {
                opened = try store.reveal(customerIDs: hits.map(\.customer.customerID), by: StorePaths.actor,
                                          context: "cli search \"\(query)\"")
            } catch { throw CLIError(error.description) }
        }
        let lines = hits.map { CustomerLine($0.customer, opened: opened[$0.customer.customerID], match: $0.match) }
        if json { try JSONOutput.print(lines); return }
        if lines.isEmpty {
            print("No customer matches \"\(query)\".")
            return
        }
        print(CustomerLine.table(lines, withMatch: true))
        if !reveal { print("(phone and ID masked; --reveal shows them and is audited)") }
    }
}
