import ArgumentParser
import Foundation
import FurrowCore
import FurrowImport
import FurrowStore

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create a realistic demo branch (deterministic, seeded) and import it.",
        discussion: """
            The generator writes the branch as core-banking extract files and imports them through
            the same path as real extracts. The demo store is $FURROW_STORE, else demo.sqlite in the
            data directory, so it never mixes with a real store. Running it again with the same
            settings reuses the store; --fresh rebuilds it.
            """)

    @Option(help: "How many customers (1…1,000,000).")
    var customers = 20_000

    @Option(help: "The seed: the same seed gives the same branch.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("The extract date (default: today).", valueName: "YYYY-MM-DD"))
    var asOf: CalendarDate?

    @Option(help: "The demo store file.")
    var store: String?

    @Flag(help: "Rebuild the demo store even if one with these settings exists.")
    var fresh = false

    @Flag(help: "Don't open the workstation afterwards (it opens only on a terminal anyway).")
    var noOpen = false

    @Option(help: "The workstation's theme: a name in themes/ (default, light, high-contrast, monochrome) or a .toml file.")
    var theme: String?

    func validate() throws {
        if !(1...1_000_000).contains(customers) { throw ValidationError("--customers must be 1…1,000,000") }
    }

    func run() async throws {
        // The demo goes on into the workstation, which runs on the main actor (see WorkstationCommand).
        try await MainActor.run { try runOnMain() }
    }

    private func runOnMain() throws {
        let date = asOf ?? .today()
        let storePath = store ?? StorePaths.demoStore
        let storeURL = URL(fileURLWithPath: storePath)
        let extractDir = storeURL.deletingLastPathComponent()
            .appendingPathComponent(storeURL.deletingPathExtension().lastPathComponent + "-extract")
        let marker = extractDir.appendingPathComponent("demo.json")
        let fm = FileManager.default

        if !fresh, fm.fileExists(atPath: storePath), let data = fm.contents(atPath: marker.path),
           let summary = try? JSONDecoder().decode(DemoBranchSummary.self, from: data),
           summary.customers == customers, summary.seed == seed, asOf == nil || summary.asOf == date {
            // Without --as-of, yesterday's demo is reused rather than rebuilt: it holds what the
            // user logged in it, and nothing typed is thrown away by running the demo again.
            print("The demo branch is already in \(storePath) (\(customers) customers, seed \(seed)); --fresh rebuilds it.\n")
            DemoGuide.print(summary, store: storePath, extract: extractDir.path, seconds: nil)
            try openWorkstation(storePath: storePath, summary: summary)
            return
        }
        for suffix in ["", "-wal", "-shm"] where fm.fileExists(atPath: storePath + suffix) {
            try fm.removeItem(atPath: storePath + suffix)
        }
        try? fm.removeItem(at: extractDir)
        try fm.createDirectory(at: extractDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])

        let started = Date()
        let bar = ProgressBar(label: "generating")
        let summary = try DemoBranchGenerator(customers: customers, seed: seed, asOf: date)
            .write(to: extractDir) { bar.update($0) }
        bar.finish()
        let db = try StoreOptions.open(storePath)
        let importBar = ProgressBar(label: "importing ")
        let report: ImportReport
        do {
            report = try ExtractImporter(store: db).run(
                ImportOptions(directory: extractDir, asOf: date, actor: "demo")) { importBar.update($0) }
        } catch {
            importBar.finish()
            throw CLIError(error.description)
        }
        importBar.finish()
        guard report.isComplete else {
            for i in report.issues.prefix(20) { printError(i.description) }
            throw CLIError("the demo branch did not import cleanly (\(report.issues.count) problems); this is a bug in furrow")
        }
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        try DemoTasks.seed(db, rm: summary.largestPortfolio.staffID, asOf: date, seed: seed)
        // What the branch server does after each night's import: classify and remind.
        do {
            _ = try db.runNightly(asOf: date, by: "demo")
            // The demo branch starts in step with its (imagined) branch server: nothing to send.
            try db.markOps(try db.pendingOps().map(\.opID), status: .applied)
        } catch { throw CLIError(error.description) }
        try enc.encode(summary).write(to: marker)
        DemoGuide.print(summary, store: storePath, extract: extractDir.path, seconds: Date().timeIntervalSince(started))
        try openWorkstation(storePath: storePath, summary: summary)
    }

    /// On a terminal, the demo goes on into the workstation, as the RM with the largest portfolio.
    private func openWorkstation(storePath: String, summary: DemoBranchSummary) throws {
        guard !noOpen, isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { return }
        // The demo is worked as its busiest RM unless FURROW_USER says who you are.
        let user = ProcessInfo.processInfo.environment["FURROW_USER"] ?? summary.largestPortfolio.staffID
        print("\nOpening the workstation as \(user) (press Enter; q quits, ? shows the keys)…")
        _ = readLine()
        let store = try StoreOptions.open(storePath, interactive: true)
        try StoreUnlock.ensure(store)
        try WorkstationRunner.run(store: store, storePath: storePath, user: user, rm: nil, theme: theme)
    }
}

extension StoreOptions {
    init(store: String) {
        self.init()
        self.store = store
    }
}

/// What the demo created and how to look at it, for someone who just cloned the repository.
enum DemoGuide {
    static func print(_ s: DemoBranchSummary, store: String, extract: String, seconds: Double?) {
        var lines: [String] = []
        let took = seconds.map { String(format: " in %.1f s", $0) } ?? ""
        lines.append("Demo branch: \(s.customers) customers, as of \(s.asOf.iso), seed \(s.seed)\(took).")
        lines.append("  store    \(store)")
        lines.append("  extract  \(extract)  (the CSV files it was imported from)")
        let files = s.rowCounts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        lines.append("  rows     \(files)")
        let rms = s.staff.filter { $0.role == .rm }.map { "\($0.staffID) \($0.name)" }.joined(separator: ", ")
        lines.append("  RMs      \(rms)")
        lines.append("")
        lines.append("Look around (the store is found through FURROW_STORE; from a checkout, `swift run furrow …`):")
        lines.append("  export FURROW_STORE=\(store)")
        var tries: [(String, String)] = [
            ("furrow portfolio --rm \(s.largestPortfolio.staffID)", "\(s.largestPortfolio.customers) customers, richest first"),
        ]
        if let id = s.highlights.privateTier { tries.append(("furrow show \(id)", "a private-tier customer's 360° profile")) }
        tries.append(("furrow search zsf", "pinyin initials; also 王, 三丰, zhang, a phone's last 4"))
        if let id = s.highlights.polyphonicSurname { tries.append(("furrow show \(id)", "a polyphonic surname: search either reading")) }
        if let id = s.highlights.household { tries.append(("furrow show \(id)", "a household")) }
        tries.append(("furrow portfolio --tier private --json", "for scripts"))
        let width = tries.map(\.0.count).max() ?? 0
        for (command, why) in tries {
            lines.append("  " + command.padding(toLength: width + 2, withPad: " ", startingAt: 0) + "# " + why)
        }
        lines.append("`swift run furrow` (or `furrow`) opens the workstation on this store; ? shows its keys.")
        Swift.print(lines.joined(separator: "\n"))
    }
}
