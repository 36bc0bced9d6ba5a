import ArgumentParser
import Foundation
import FurrowCore
import FurrowImport
import FurrowStore

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a directory of core-banking extract files (docs/extract-format.md).",
        discussion: """
            All or nothing: a directory with any invalid row imports nothing, and every problem is
            listed as FILE:LINE: column: reason. With --skip-invalid the valid rows are imported and
            the rejected ones written to rejects.csv beside the store.
            Exit status: 0 everything imported; 1 nothing imported; 2 imported with rows rejected.
            """)

    @Argument(help: "The directory holding customers.csv, accounts.csv, …")
    var directory: String

    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "Import the valid rows and write the rejected ones to rejects.csv.")
    var skipInvalid = false

    @Option(help: "Read every file in this encoding: utf-8 or gb18030 (gbk). Default: detect per file.")
    var encoding: String?

    @Option(help: ArgumentHelp("The extract's date (default: today).", valueName: "YYYY-MM-DD"))
    var asOf: CalendarDate?

    @Flag(help: "Print the report as JSON on stdout.")
    var json = false

    func validate() throws {
        if let encoding, ExtractEncoding(name: encoding) == nil {
            throw ValidationError("--encoding must be utf-8 or gb18030 (or gbk), not \"\(encoding)\"")
        }
    }

    func run() throws {
        let store = try storeOptions.open()
        try StoreUnlock.ensure(store)
        let rejects = URL(fileURLWithPath: storeOptions.path).deletingLastPathComponent().appendingPathComponent("rejects.csv")
        let options = ImportOptions(
            directory: URL(fileURLWithPath: directory), skipInvalid: skipInvalid,
            encoding: encoding.flatMap(ExtractEncoding.init(name:)),
            asOf: asOf ?? store.today, actor: StorePaths.actor, rejectsURL: rejects)
        let bar = ProgressBar(label: "importing")
        let report: ImportReport
        do {
            report = try ExtractImporter(store: store).run(options) { bar.update($0) }
        } catch {
            bar.finish()
            throw CLIError(error.description)
        }
        bar.finish()
        try ImportReportPrinter.print(report, json: json, store: storeOptions.path)
        if !report.committed { throw ExitCode(1) }
        if !report.issues.isEmpty { throw ExitCode(2) }
    }
}

/// Prints an import report: problems on stderr (the first 100, then a count), a summary on stdout.
enum ImportReportPrinter {
    static func print(_ report: ImportReport, json: Bool, store: String) throws {
        for w in report.warnings.prefix(20) { printError("warning: \(w)") }
        for i in report.issues.prefix(100) { printError(i.description) }
        if report.issues.count > 100 { printError("… and \(report.issues.count - 100) more problems") }
        if json {
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys]
            Swift.print(String(decoding: try enc.encode(report), as: UTF8.self))
            return
        }
        for f in report.files {
            var line = "  \(f.file.padding(toLength: 22, withPad: " ", startingAt: 0)) \(String(f.imported).leftPad(9)) imported"
            if f.rejected > 0 { line += ", \(f.rejected) rejected" }
            if let e = f.encoding, e != "utf-8" { line += " (\(e))" }
            Swift.print(line)
        }
        let secs = String(format: "%.1f", report.seconds)
        if report.committed && report.issues.isEmpty {
            Swift.print("Imported \(report.rowsImported) rows (\(report.rowsChanged) new or changed) into \(store) in \(secs) s.")
        } else if report.committed {
            Swift.print("Imported the valid rows into \(store) in \(secs) s; \(report.issues.count) problems, rejected rows in \(report.rejectsFile ?? "rejects.csv").")
        } else {
            Swift.print("Nothing was imported: \(report.issues.count) problem\(report.issues.count == 1 ? "" : "s") (listed above). The store is unchanged. Fix the files, or use --skip-invalid to import the valid rows.")
        }
    }
}

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
