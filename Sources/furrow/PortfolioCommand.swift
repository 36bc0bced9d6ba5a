import ArgumentParser
import Foundation
import FurrowCore
import FurrowStore

struct PortfolioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portfolio",
        abstract: "List an RM's (or a team's, or the branch's) customers, a page at a time.",
        discussion: """
            Pages are keyset-paginated: the last line prints the --after cursor of the next page.
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "The RM's staff ID (default: the whole branch).")
    var rm: String?

    @Option(help: "A team name: the customers of its RMs.")
    var team: String?

    @Option(help: "Only this tier: mass, wealth, affluent, private (repeatable).")
    var tier: [Tier] = []

    @Option(help: "Only this kind: individual, farmer, individual_business, micro_enterprise (repeatable).")
    var kind: [CustomerKind] = []

    @Option(help: "Only customers of this village.")
    var village: String?

    @Option(help: "Only customers with this tag.")
    var tag: String?

    @Option(help: "Only customers in this activity (nightly): active, dormant, churn-warning.")
    var activity: String?

    @Option(help: "Only customers of this segment (nightly): A … H.")
    var segment: String?

    @Flag(help: "Only customers with an open task.")
    var openTasks = false

    @Option(help: "Sort by aum, name (pinyin) or last-contact.")
    var sort: PortfolioSort = .aum

    @Option(help: "Rows per page.")
    var limit = 50

    @Option(help: "Start after this cursor (printed at the end of the previous page).")
    var after: String?

    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "Show phone and ID numbers unmasked (recorded in the audit trail).")
    var reveal = false

    func validate() throws {
        if rm != nil && team != nil { throw ValidationError("give --rm or --team, not both") }
        if !(1...1000).contains(limit) { throw ValidationError("--limit must be 1…1000") }
        if let after, CursorText.decode(after) == nil { throw ValidationError("--after: not a cursor printed by furrow portfolio") }
        if let activity, Activity(rawValue: activity) == nil { throw ValidationError("--activity must be active, dormant or churn-warning") }
        if let segment, Segment(rawValue: segment) == nil { throw ValidationError("--segment must be one of A … H") }
    }

    func run() throws {
        let store = try storeOptions.openExisting()
        let scope: PortfolioScope = rm.map { .rm($0) } ?? team.map { .team($0) } ?? .branch
        let filter = PortfolioFilter(tiers: Set(tier), kinds: Set(kind), village: village, tag: tag,
                                     hasOpenTask: openTasks ? true : nil)
        var withRules = filter
        withRules.activity = activity
        withRules.segment = segment
        let page: PortfolioPage
        do {
            page = try store.portfolio(scope: scope, filter: withRules, sort: sort,
                                       after: after.flatMap(CursorText.decode), limit: limit)
        } catch { throw CLIError(error.description) }
        var opened: [String: RevealedIdentity] = [:]
        if reveal {
            try StoreUnlock.ensure(store)
            do {
                opened = try store.reveal(customerIDs: page.rows.map(\.customerID), by: StorePaths.actor, context: "cli portfolio")
            } catch { throw CLIError(error.description) }
        }
        let lines = page.rows.map { CustomerLine($0, opened: opened[$0.customerID]) }
        let next = page.next.map(CursorText.encode)
        if json {
            struct Out: Encodable { var customers: [CustomerLine]; var next: String? }
            try JSONOutput.print(Out(customers: lines, next: next))
            return
        }
        if lines.isEmpty { print("No customers."); return }
        print(CustomerLine.table(lines, withMatch: false))
        if let next { print("next page: --after \(next)") }
    }
}

/// The keyset cursor as one shell-safe word.
enum CursorText {
    static func encode(_ c: PortfolioCursor) -> String {
        let data = try! JSONEncoder().encode(c)
        return data.base64EncodedString().replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "+", with: "-")
    }

    static func decode(_ s: String) -> PortfolioCursor? {
        var b = s.replacingOccurrences(of: "_", with: "/").replacingOccurrences(of: "-", with: "+")
        while b.count % 4 != 0 { b += "=" }
        guard let data = Data(base64Encoded: b) else { return nil }
        return try? JSONDecoder().decode(PortfolioCursor.self, from: data)
    }
}
