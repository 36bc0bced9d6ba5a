import ArgumentParser
import Foundation
import FurrowCore
import FurrowStore
import TerminalUI

/// `furrow remind`: the reminder engine, for an RM, a team or the whole branch.
struct RemindCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remind",
        abstract: "Run the reminder engine: birthdays, holidays, maturities, loans, risk assessments, contact cadence, complaints, life events, money moving.",
        discussion: """
            Idempotent: each cause gets one task, ever; a reminder whose cause is gone is withdrawn.
            The workstation runs it when it starts.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var scope: ScopeOptions
    @OptionGroup var rules: RulesOptions

    @Option(help: ArgumentHelp("The day to run it for (default: today in Shanghai).", valueName: "YYYY-MM-DD"))
    var asOf: CalendarDate?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let config = try rules.load()
        let store = try storeOptions.openExisting()
        let day = asOf ?? store.today
        let report: ReminderRunReport
        do { report = try store.runReminders(scope: scope.scope, asOf: day, rules: config, by: StorePaths.actor) } catch {
            throw CLIError(error.description)
        }
        if json { try JSONOutput.print(report); return }
        print("Reminders as of \(day.iso) for \(scope.label): \(report.created) new, \(report.withdrawn) withdrawn, "
              + "\(report.open.values.reduce(0, +)) open (\(report.milliseconds) ms).")
        for (rule, n) in report.open.sorted(by: { $0.value > $1.value }) {
            print("  \((ReminderRule(rawValue: rule)?.label ?? rule).padding(toLength: 24, withPad: " ", startingAt: 0)) \(n)")
        }
    }
}

/// `furrow tasks`: the queue, with each task's reason, due date and urgency.
struct TasksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks", abstract: "List open tasks with their reason, due date and urgency (most urgent first).")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var scope: ScopeOptions

    @Option(help: ArgumentHelp("Due on or after this day (default: however overdue).", valueName: "YYYY-MM-DD"))
    var from: CalendarDate?

    @Option(help: ArgumentHelp("Due on or before this day (default: 7 days from today).", valueName: "YYYY-MM-DD"))
    var to: CalendarDate?

    @Flag(help: "Print JSON.")
    var json = false

    struct Line: Encodable {
        var taskID, customerID, customerName, tier, title, reason, due, group: String
        var rule: String?
        var priority: Int
        var urgency: Int
        var urgencyParts: [String]
    }

    func run() throws {
        let store = try storeOptions.openExisting()
        let today = store.today
        let items: [QueueItem]
        do {
            items = try store.taskQueue(scope: scope.scope, from: from, through: to ?? today.adding(days: 7), today: today)
        } catch { throw CLIError(error.description) }
        let lines = items.map { i in
            Line(taskID: i.task.taskID, customerID: i.task.customerID, customerName: i.customerName, tier: i.tier.rawValue,
                 title: i.task.title, reason: i.task.reason ?? "", due: i.task.dueOn.iso, group: "\(i.group(today: today))",
                 rule: i.task.rule?.rawValue, priority: i.task.priority.rawValue, urgency: i.urgency.score,
                 urgencyParts: i.urgency.parts.map { "\($0.label) \($0.points >= 0 ? "+" : "")\($0.points)" })
        }
        if json { try JSONOutput.print(lines); return }
        if lines.isEmpty { print("No open tasks in that range."); return }
        var table = TextTable(columns: [.init("due"), .init("urgency", alignRight: true), .init("customer", maxWidth: 14),
                                        .init("task", maxWidth: 30), .init("reason", maxWidth: 60)])
        for i in items {
            table.append([i.task.dueOn.iso, String(i.urgency.score), i.customerName, i.task.title, i.task.reason ?? ""])
        }
        print(table.render())
        print("\(lines.count) open tasks; --json shows the urgency's parts.")
    }
}

/// `--rm STAFF_ID`, `--team T` or `--branch`: whose customers.
struct ScopeOptions: ParsableArguments {
    @Option(help: "One RM's customers (default: yours when $FURROW_USER is an RM, else the branch).")
    var rm: String?

    @Option(help: "A team's customers.")
    var team: String?

    var scope: PortfolioScope {
        if let rm { return .rm(rm) }
        if let team { return .team(team) }
        return .branch
    }

    var label: String {
        switch scope {
        case .rm(let id): "RM \(id)"
        case .team(let t): "team \(t)"
        case .branch: "the branch"
        }
    }
}

/// `furrow nightly`: after the night's import, the whole branch through the rules.
struct NightlyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nightly",
        abstract: "Classify every customer (tier with hysteresis, segment A–H, value class, activity, lifecycle) and run the reminders, for the branch.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var rules: RulesOptions

    @Option(help: ArgumentHelp("The day to run it for (default: today in Shanghai).", valueName: "YYYY-MM-DD"))
    var asOf: CalendarDate?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let config = try rules.load()
        let store = try storeOptions.openExisting()
        try StoreUnlock.ensure(store)   // prospects are matched by their ID numbers and mobiles
        let day = asOf ?? store.today
        // The same run as the branch's after an import: rules, campaign attribution, prospects.
        let run: NightlyRun
        do { run = try store.nightlyRun(asOf: day, rules: config, by: StorePaths.actor) } catch { throw CLIError(error.description) }
        let (r, attributed, matched) = (run.report, run.attribution, run.prospects)
        if json { try JSONOutput.print(NightlyJSON(report: r, attribution: attributed, prospects: matched)); return }
        func list(_ d: [String: Int]) -> String { d.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") }
        print("Nightly run as of \(day.iso): \(r.customers) customers classified (\(r.changed) changed) in \(String(format: "%.1f", r.seconds)) s.")
        print("  tiers     \(list(r.tiers))")
        print("  segments  \(list(r.segments))")
        print("  activity  \(list(r.activity))")
        print("  retention \(r.casesOpened) new cases for churn warnings")
        print("  reminders +\(r.reminders.created) new, −\(r.reminders.withdrawn) withdrawn, \(r.reminders.open.values.reduce(0, +)) open")
        if matched.converted + matched.possible > 0 {
            print("  prospects \(matched.converted) became customers, \(matched.possible) possible matches to confirm (furrow prospect show)")
        }
        if attributed.conversions > 0 {
            print("  campaigns \(attributed.conversions) conversions, ¥\(Money(fen: attributed.amountFen).formatted()) to \(attributed.campaigns) campaigns")
        }
    }
}

/// `furrow nightly --json`: the nightly report's keys, with what the extract brought to
/// campaigns (`attribution`) and prospects (`prospects`) beside them.
struct NightlyJSON: Encodable {
    var report: NightlyReport
    var attribution: AppDatabase.AttributionReport
    var prospects: AppDatabase.ProspectMatchReport

    enum Keys: String, CodingKey { case attribution, prospects }

    func encode(to encoder: any Encoder) throws {
        try report.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(attribution, forKey: .attribution)
        try c.encode(prospects, forKey: .prospects)
    }
}
