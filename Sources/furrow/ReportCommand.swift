import ArgumentParser
import Foundation
import FurrowCore
import FurrowStore
import Workstation

/// `furrow report NAME`: the branch's reports as a table, CSV or JSON.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports: " + ReportName.allCases.map(\.rawValue).joined(separator: ", ") + ", campaign (with --id).",
        discussion: """
            Month reports (tiers, migration, aum, payroll) read the figures of the last `furrow nightly`.
            JSON is stable: money in integer fen, shares as fractions (see docs/rules.md).
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, json }

    @Argument(help: "The report: \(ReportName.allCases.map(\.rawValue).joined(separator: ", ")).")
    var name: String

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var rules: RulesOptions

    @Option(help: "One month, YYYY-MM (the same as --to with a one-month period).")
    var month: String?

    @Option(help: "The first month, YYYY-MM.")
    var from: String?

    @Option(help: "The last month, YYYY-MM.")
    var to: String?

    @Option(help: "One RM's customers.")
    var rm: String?

    @Option(help: "table, csv or json.")
    var format: Format = .table

    @Option(help: "The campaign (for `report campaign`).")
    var id: String?

    func validate() throws {
        if name == "campaign" {
            guard id != nil else { throw ValidationError("report campaign needs --id CAMPAIGN_ID (furrow campaign list)") }
            return
        }
        guard ReportName(rawValue: name) != nil else {
            throw ValidationError("no report \"\(name)\"; reports: \(ReportName.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if month != nil && (from != nil || to != nil) { throw ValidationError("give --month, or --from/--to, not both") }
    }

    func run() throws {
        if name == "campaign", let id {
            try CampaignCommand.printReport(id, format: format, store: try storeOptions.openExisting())
            return
        }
        let config = try rules.load()
        let store = try storeOptions.openExisting()
        // A month for migration means "into that month", from the one before.
        let request = ReportRequest(from: month.map { name == "migration" ? nil : $0 } ?? from, to: month ?? to, rm: rm)
        let report: Report
        do { report = try store.report(ReportName(rawValue: name)!, request, rules: config) } catch { throw CLIError(error.description) }
        switch format {
        case .json: print(String(decoding: try report.json(), as: UTF8.self))
        case .csv: print(report.csv, terminator: "")
        case .table: print(ReportText.render(report))
        }
    }
}

/// A report as text for a terminal: the same layout as the Reports screen.
enum ReportText {
    static func render(_ r: Report) -> String {
        ReportLayout.lines(r, width: 160).map(\.text).map { line in
            var l = line
            while l.hasSuffix(" ") { l.removeLast() }
            return l
        }.joined(separator: "\n")
    }
}
