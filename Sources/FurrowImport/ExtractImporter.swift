import Foundation
import FurrowCore
import FurrowStore

public struct ImportOptions: Sendable {
    public var directory: URL
    /// Import the valid rows and write the rejected ones to `rejectsURL`; without it a
    /// directory with any error imports nothing.
    public var skipInvalid: Bool
    /// Overrides detection for every file.
    public var encoding: ExtractEncoding?
    /// The extract's date: assignments from a later date are not yet in force.
    public var asOf: CalendarDate
    public var actor: String
    public var rejectsURL: URL?

    public init(directory: URL, skipInvalid: Bool = false, encoding: ExtractEncoding? = nil,
                asOf: CalendarDate = .today(), actor: String, rejectsURL: URL? = nil) {
        self.directory = directory; self.skipInvalid = skipInvalid; self.encoding = encoding
        self.asOf = asOf; self.actor = actor; self.rejectsURL = rejectsURL
    }
}

public struct FileReport: Sendable, Codable, Hashable {
    public var file: String
    public var encoding: String?
    public var records: Int
    public var imported: Int
    public var rejected: Int
}

public struct ImportReport: Sendable, Codable {
    public var files: [FileReport]
    public var issues: [ImportIssue]
    public var warnings: [ImportIssue]
    /// Whether the store now holds this import (all of it, or its valid rows with --skip-invalid).
    public var committed: Bool
    public var rejectsFile: String?
    public var seconds: Double
    /// Rows inserted or changed; 0 when the same extract is imported again.
    public var rowsChanged: Int

    /// Everything that was asked was imported.
    public var isComplete: Bool { committed && issues.isEmpty }
    public var customersImported: Int { files.first { $0.file == ExtractFile.customers.rawValue }?.imported ?? 0 }
    public var rowsImported: Int { files.reduce(0) { $0 + $1.imported } }
}

public struct ImportProgress: Sendable {
    public var file: String
    /// 0…1 over all files, by bytes.
    public var fraction: Double
}

public enum ImportFailure: Error, Equatable, CustomStringConvertible {
    case notADirectory(String)
    case noExtractFiles(String)
    case store(StoreError)
    case cannotWriteRejects(String, String)

    public var description: String {
        switch self {
        case .notADirectory(let p): "\(p) is not a directory of extract files"
        case .noExtractFiles(let p):
            "\(p) holds none of the extract files (\(ExtractFile.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .store(let e): e.description
        case .cannotWriteRejects(let p, let why): "cannot write the rejected rows to \(p): \(why)"
        }
    }
}

/// Reads a directory of core-banking extract files into the store (docs/extract-format.md):
/// detects each file's encoding, parses RFC 4180, validates every field, checks references,
/// and upserts by key in one transaction, so a failed import leaves the store as it was.
public struct ExtractImporter {
    public let store: AppDatabase

    public init(store: AppDatabase) { self.store = store }

    public func run(_ options: ImportOptions,
                    progress: ((ImportProgress) -> Void)? = nil) throws(ImportFailure) -> ImportReport {
        let clock = ContinuousClock.now
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: options.directory.path, isDirectory: &isDir), isDir.boolValue else {
            throw .notADirectory(options.directory.path)
        }
        let names = Set((try? fm.contentsOfDirectory(atPath: options.directory.path)) ?? [])
        let present = ExtractFile.allCases.filter { names.contains($0.rawValue) }
        guard !present.isEmpty else { throw .noExtractFiles(options.directory.path) }

        var run = ImportRun(options: options, files: present, progress: progress)
        for name in names.sorted() where name.lowercased().hasSuffix(".csv")
            && ExtractFile(rawValue: name) == nil && name != "rejects.csv" {
            run.warnings.append(ImportIssue(file: name, line: 0, column: "-",
                                            reason: "not a file of extract format v1; ignored"))
        }
        let committed: Bool
        do {
            committed = try store.importExtract(directory: options.directory.path, actor: options.actor,
                                                asOf: options.asOf) { session in
                try run.importAll(session)
                run.rowsChanged = session.rowsWritten
                if !run.issues.isEmpty && !options.skipInvalid { return .rollback }
                return .commit(summary: run.summary)
            }
        } catch let e as StoreError {
            throw .store(e)
        } catch {
            throw .store(.database(String(describing: error)))
        }
        let changed = run.rowsChanged
        var rejectsPath: String?
        if options.skipInvalid, let url = options.rejectsURL {
            // A rejects.csv from an earlier run would describe rows of another import.
            try? FileManager.default.removeItem(at: url)
            if committed, !run.rejects.isEmpty {
                do {
                    try RejectsFile.write(run.rejects, to: url)
                    rejectsPath = url.path
                } catch {
                    // The rows are in the store; say where the list could not go.
                    run.warnings.append(ImportIssue(file: url.lastPathComponent, line: 0, column: "-",
                        reason: "cannot write the rejected rows here: \(error.localizedDescription)"))
                }
            }
        }
        let elapsed = ContinuousClock.now - clock
        var report = ImportReport(files: run.reports, issues: run.issues, warnings: run.warnings, committed: committed,
                            rejectsFile: rejectsPath, seconds: 0, rowsChanged: committed ? changed : 0)
        report.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return report
    }
}

/// The state of one import while it runs.
struct ImportRun {
    let options: ImportOptions
    let files: [ExtractFile]
    let progress: ((ImportProgress) -> Void)?
    var issues: [ImportIssue] = []
    var warnings: [ImportIssue] = []
    var reports: [FileReport] = []
    var rejects: [RejectedRecord] = []
    var rowsChanged = 0

    init(options: ImportOptions, files: [ExtractFile], progress: ((ImportProgress) -> Void)?) {
        self.options = options; self.files = files; self.progress = progress
    }

    var summary: String {
        reports.map { "\($0.file) \($0.imported)" + ($0.rejected > 0 ? " (\($0.rejected) rejected)" : "") }
            .joined(separator: ", ")
    }

    mutating func importAll(_ session: ImportSession) throws {
        var refs = ExtractReferences(
            customers: try session.existingKeys(.customers), accounts: try session.existingKeys(.accounts),
            products: try session.existingKeys(.products), staff: try session.existingKeys(.staff),
            payrollUnits: try session.existingKeys(.payrollUnits))
        let sizes = files.map { (try? FileManager.default.attributesOfItem(
            atPath: options.directory.appendingPathComponent($0.rawValue).path)[.size] as? Int) ?? 0 }
        let total = max(1, sizes.reduce(0, +))
        var done = 0
        let progress = self.progress
        let trace = ProcessInfo.processInfo.environment["FURROW_TRACE"] != nil
        for (file, size) in zip(files, sizes) {
            let before = done
            let t0 = ContinuousClock.now
            defer { if trace { FileHandle.standardError.write(Data("trace: \(file.rawValue) \(ContinuousClock.now - t0)\n".utf8)) } }
            try importFile(file, session: session, refs: &refs) { fraction in
                progress?(ImportProgress(file: file.rawValue, fraction: (Double(before) + fraction * Double(size)) / Double(total)))
            }
            done += size
        }
        // Report in file order, then line order, whatever order the checks ran in.
        let order = Dictionary(uniqueKeysWithValues: ExtractFile.allCases.enumerated().map { ($1.rawValue, $0) })
        issues = issues.enumerated().sorted {
            let a = (order[$0.element.file] ?? 99, $0.element.line, $0.offset)
            let b = (order[$1.element.file] ?? 99, $1.element.line, $1.offset)
            return a < b
        }.map(\.element)
        progress?(ImportProgress(file: "", fraction: 1))
    }

    private mutating func fail(_ issue: ImportIssue) {
        issues.append(issue)
    }

    /// A problem with a whole file (encoding, header): with --skip-invalid it is listed in
    /// rejects.csv too, with no record, so the file is not silently left out.
    private mutating func failFile(_ issue: ImportIssue) {
        fail(issue)
        if options.skipInvalid { rejects.append(RejectedRecord(issues: [issue], fields: [])) }
    }

    mutating func importFile(_ file: ExtractFile, session: ImportSession, refs: inout ExtractReferences,
                             progress: (Double) -> Void) throws {
        let name = file.rawValue
        var report = FileReport(file: name, encoding: nil, records: 0, imported: 0, rejected: 0)
        defer { reports.append(report) }
        let url = options.directory.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            failFile(ImportIssue(file: name, line: 0, column: "-", reason: "cannot be read"))
            return
        }
        let utf8: [UInt8]
        do {
            let decoded = try ExtractEncoding.decodeToUTF8([UInt8](data), override: options.encoding)
            report.encoding = decoded.encoding.rawValue
            utf8 = decoded.utf8
        } catch {
            let hint = error.message.contains("--encoding") ? "" : " (read as \(error.encoding.rawValue); --encoding chooses)"
            let at = error.column.map { "byte \($0): " } ?? ""
            failFile(ImportIssue(file: name, line: error.line, column: "-", reason: at + error.message + hint))
            return
        }
        let lineCount = max(1, utf8.reduce(into: 0) { n, b in if b == 0x0A { n += 1 } })
        var reader = CSVReader(utf8: utf8)
        // Header.
        guard let first = reader.next() else {
            failFile(ImportIssue(file: name, line: 1, column: "-", reason: "is empty: a header row is required"))
            return
        }
        guard case .row(let headerRow) = first else {
            if case .failure(let e) = first { failFile(ImportIssue(file: name, line: e.line, column: "-", reason: "header: \(e.message)")) }
            return
        }
        let header = CSVHeader(fields: headerRow.fields)
        var columns: [String: Int] = [:]
        for (i, n) in header.names.enumerated() where columns[n] == nil { columns[n] = i }
        for d in header.duplicates {
            failFile(ImportIssue(file: name, line: headerRow.line, column: d, reason: "column appears more than once in the header"))
        }
        for n in header.names where !file.columns.contains(n) {
            warnings.append(ImportIssue(file: name, line: headerRow.line, column: n, reason: "unknown column; ignored"))
        }
        let missing = file.requiredColumns.filter { columns[$0] == nil }
        for m in missing {
            failFile(ImportIssue(file: name, line: headerRow.line, column: m, reason: "required column is missing from the header"))
        }
        guard missing.isEmpty, header.duplicates.isEmpty else { return }

        // Into a table that was empty SQLite's key constraint finds duplicates for free;
        // otherwise an upsert would silently merge them, so remember the keys seen.
        let table = String(name.dropLast(4))
        session.setPresentColumns(Set(header.names).intersection(file.columns), for: table)
        let trackKeys = try !session.isFirstLoad(table)
        var seen: [String: Int32] = [:]
        let today = options.asOf
        var counter = 0
        while let result = reader.next() {
            counter += 1
            if counter & 0xFFF == 0 { progress(min(1, Double(counter) / Double(lineCount))) }
            report.records += 1
            switch result {
            case .failure(let e):
                reject(ImportIssue(file: name, line: e.line, column: "-", reason: e.message), fields: [],
                       report: &report)
            case .row(let row):
                if row.fields.count != header.names.count {
                    reject(ImportIssue(file: name, line: row.line, column: "-",
                                       reason: "has \(row.fields.count) fields, the header has \(header.names.count)"),
                           fields: row.fields, report: &report)
                    continue
                }
                var r = FieldReader(file: name, line: row.line, fields: row.fields, columns: columns)
                var key = ""
                if trackKeys {
                    // The key as it will be stored: trimmed, as FieldReader reads it.
                    key = file.keyColumns.count == 1 ? (r.text(file.keyColumns[0]) ?? "")
                        : file.keyColumns.map { r.text($0) ?? "" }.joined(separator: "\u{1F}")
                    if let firstLine = seen[key] {
                        r.fail(file.keyColumns[0], "duplicate key \(key.replacingOccurrences(of: "\u{1F}", with: "/")) (first on line \(firstLine))")
                    }
                }
                let write = map(file, &r, refs: &refs, today: today)
                if r.issues.isEmpty {
                    if trackKeys { seen[key] = Int32(row.line) }
                    do {
                        try write.apply(to: session)
                    } catch ImportWriteError.duplicateKey {
                        let shown = file.keyColumns.map { r.text($0) ?? "" }.joined(separator: "/")
                        r.fail(file.keyColumns[0], "duplicate key \(shown) (it appears earlier in this file)")
                    } catch let e as StoreError {
                        r.fail("-", "the store refused it: \(e)")
                    }
                }
                if r.issues.isEmpty {
                    report.imported += 1
                } else {
                    rejectAll(r.issues, fields: row.fields, report: &report)
                }
            }
        }
        progress(1)
    }

    private mutating func reject(_ issue: ImportIssue, fields: [String], report: inout FileReport) {
        rejectAll([issue], fields: fields, report: &report)
    }

    private mutating func rejectAll(_ found: [ImportIssue], fields: [String], report: inout FileReport) {
        report.rejected += 1
        for i in found { fail(i) }
        if options.skipInvalid { rejects.append(RejectedRecord(issues: found, fields: fields)) }
    }

    /// Validates a record and returns the write it stands for; updates the references with
    /// the keys a valid record adds.
    private func map(_ file: ExtractFile, _ r: inout FieldReader, refs: inout ExtractReferences,
                     today: CalendarDate) -> PendingWrite {
        switch file {
        case .customers:
            guard let v = RowMapping.customer(&r, today: today) else { return .none }
            refs.customers.insert(v.customerID)
            return .customer(v)
        case .relations: return RowMapping.relation(&r, refs: refs).map(PendingWrite.relation) ?? .none
        case .products:
            guard let v = RowMapping.product(&r) else { return .none }
            refs.products.insert(v.productCode)
            return .product(v)
        case .accounts:
            guard let v = RowMapping.account(&r, refs: refs) else { return .none }
            refs.accounts.insert(v.accountID)
            return .account(v)
        case .monthlyBalances: return RowMapping.monthlyBalance(&r, refs: refs).map(PendingWrite.monthly) ?? .none
        case .transactions: return RowMapping.transaction(&r, refs: refs).map(PendingWrite.transaction) ?? .none
        case .loanSchedule: return RowMapping.loanInstalment(&r, refs: refs).map(PendingWrite.loan) ?? .none
        case .staff:
            guard let v = RowMapping.staff(&r) else { return .none }
            refs.staff.insert(v.staffID)
            return .staff(v)
        case .assignments: return RowMapping.assignment(&r, refs: refs).map(PendingWrite.assignment) ?? .none
        case .payrollUnits:
            guard let v = RowMapping.payrollUnit(&r) else { return .none }
            refs.payrollUnits.insert(v.unitID)
            return .unit(v)
        case .surveys: return RowMapping.survey(&r, refs: refs).map(PendingWrite.survey) ?? .none
        case .complaints: return RowMapping.complaint(&r, refs: refs).map(PendingWrite.complaint) ?? .none
        case .interactions: return RowMapping.interaction(&r, refs: refs).map(PendingWrite.interaction) ?? .none
        }
    }
}

/// One validated record, ready to be written.
enum PendingWrite {
    case customer(Customer), relation(Relation), product(Product), account(Account)
    case monthly(MonthlyBalance), transaction(Transaction), loan(LoanInstalment), staff(Staff)
    case assignment(Assignment), unit(PayrollUnit), survey(SurveyResponse), complaint(Complaint)
    case interaction(Interaction)
    case none

    func apply(to s: ImportSession) throws {
        switch self {
        case .customer(let v): try s.upsert(v)
        case .relation(let v): try s.upsert(v)
        case .product(let v): try s.upsert(v)
        case .account(let v): try s.upsert(v)
        case .monthly(let v): try s.upsert(v)
        case .transaction(let v): try s.upsert(v)
        case .loan(let v): try s.upsert(v)
        case .staff(let v): try s.upsert(v)
        case .assignment(let v): try s.upsert(v)
        case .unit(let v): try s.upsert(v)
        case .survey(let v): try s.upsert(v)
        case .complaint(let v): try s.upsert(v)
        case .interaction(let v): try s.upsert(v)
        case .none: break
        }
    }
}
