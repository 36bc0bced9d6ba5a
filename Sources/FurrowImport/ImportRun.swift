import Foundation
import FurrowCore
import FurrowStore

/// The reading side of one import: decodes, parses and validates every file, in the order of
/// `ExtractFile`, and hands the valid records on in batches (`ImportPipeline` writes them on
/// another thread). Collects every problem and the per-file counts.
struct ImportRun: Sendable {
    let options: ImportOptions
    let files: [ExtractFile]
    let progress: (@Sendable (ImportProgress) -> Void)?
    /// Tables that were empty when the import began (see `ImportSession.isFirstLoad`).
    var firstLoads: Set<String> = []
    /// Keys rows may refer to; grows with every valid parent row.
    var refs = ExtractReferences(customers: [], accounts: [], products: [], staff: [], payrollUnits: [])
    /// The date whose assignments are in force (`ImportSession.assignmentDate`).
    var assignmentDate = ""
    /// Derived columns read ahead for a first load of customers; nil otherwise.
    var prepass: DerivedPrepass?
    var issues: [ImportIssue] = []
    var warnings: [ImportIssue] = []
    var reports: [FileReport] = []
    var rejects: [RejectedRecord] = []
    var rowsChanged = 0

    init(options: ImportOptions, files: [ExtractFile], progress: (@Sendable (ImportProgress) -> Void)?) {
        self.options = options; self.files = files; self.progress = progress
    }

    var summary: String {
        reports.map { "\($0.file) \($0.imported)" + ($0.rejected > 0 ? " (\($0.rejected) rejected)" : "") }
            .joined(separator: ", ")
    }

    /// Reads every file, sending `ImportMessage`s to `emit`; stops early when `cancelled` says so.
    mutating func produce(emit: (ImportMessage) -> Void, cancelled: () -> Bool) {
        let sizes = files.map { (try? FileManager.default.attributesOfItem(
            atPath: options.directory.appendingPathComponent($0.rawValue).path)[.size] as? Int) ?? 0 }
        let total = max(1, sizes.reduce(0, +))
        var done = 0
        let progress = self.progress
        let trace = ProcessInfo.processInfo.environment["FURROW_TRACE"] != nil
        if willReadAhead {
            let t0 = ContinuousClock.now
            prepass = DerivedPrepass.read(directory: options.directory, encoding: options.encoding,
                                          assignmentDate: assignmentDate)
            if trace { FileHandle.standardError.write(Data("trace: read ahead \(ContinuousClock.now - t0)\n".utf8)) }
        }
        for (file, size) in zip(files, sizes) where !cancelled() {
            let before = done
            let t0 = ContinuousClock.now
            readFile(file, emit: emit, cancelled: cancelled) { fraction in
                progress?(ImportProgress(file: file.rawValue, fraction: (Double(before) + fraction * Double(size)) / Double(total)))
            }
            if trace { FileHandle.standardError.write(Data("trace: read \(file.rawValue) \(ContinuousClock.now - t0)\n".utf8)) }
            done += size
        }
    }

    /// A first load of customers: their derived columns are read ahead of writing them.
    var willReadAhead: Bool { firstLoads.contains("customers") && files.contains(.customers) }

    /// Whether a row that fed the read-ahead derived columns was rejected.
    var needsRederive: Bool {
        // Any problem in a file that fed the read-ahead, a whole refused file included.
        let feeding = [ExtractFile.monthlyBalances, .assignments, .interactions].map(\.rawValue)
        return prepass != nil && (issues.contains { feeding.contains($0.file) }
            || reports.contains { feeding.contains($0.file) && $0.rejected > 0 })
    }

    /// Takes in the rows the store refused while writing, then puts the problems in file and
    /// line order, whatever order the checks ran in.
    mutating func finish(with writer: ImportWriter) {
        for failure in writer.failures {
            fail(failure.issue)
            if options.skipInvalid { rejects.append(RejectedRecord(issues: [failure.issue], fields: failure.fields)) }
            if let i = reports.firstIndex(where: { $0.file == failure.issue.file }) {
                reports[i].imported -= 1
                reports[i].rejected += 1
            }
        }
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

    mutating func readFile(_ file: ExtractFile, emit: (ImportMessage) -> Void, cancelled: () -> Bool,
                           progress: (Double) -> Void) {
        let name = file.rawValue
        var report = FileReport(file: name, encoding: nil, records: 0, imported: 0, rejected: 0)
        defer { reports.append(report) }
        let url = options.directory.appendingPathComponent(name)
        let raw: [UInt8]
        do {
            // Scoped so the file's Data is freed before parsing starts.
            guard let data = FileManager.default.contents(atPath: url.path) else {
                failFile(ImportIssue(file: name, line: 0, column: "-", reason: "cannot be read"))
                return
            }
            raw = [UInt8](data)
        }
        let utf8: [UInt8]
        do {
            let decoded = try ExtractEncoding.decodeToUTF8(raw, override: options.encoding)
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
        emit(.begin(file: file, presentColumns: Set(header.names).intersection(file.columns),
                    keyIndexes: file.keyColumns.map { columns[$0]! }))
        let trackKeys = !firstLoads.contains(table)
        // Work on local copies: a Set shared with `self` would be copied whole on every insert.
        var refs = self.refs
        self.refs = ExtractReferences(customers: [], accounts: [], products: [], staff: [], payrollUnits: [])
        defer { self.refs = refs }
        let prepass = self.prepass
        var batch: [ValidRow] = []
        batch.reserveCapacity(ImportPipeline.batchSize)
        var seen: [String: Int32] = [:]
        let today = options.asOf
        var counter = 0
        while let result = reader.next() {
            counter += 1
            if counter & 0xFFF == 0 {
                progress(min(1, Double(counter) / Double(lineCount)))
                if cancelled() { return }
            }
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
                r.rejectControlCharacters(header: header.names)
                var key = ""
                if trackKeys {
                    // The key as it will be stored: trimmed, as FieldReader reads it.
                    key = file.keyColumns.count == 1 ? (r.text(file.keyColumns[0]) ?? "")
                        : file.keyColumns.map { r.text($0) ?? "" }.joined(separator: "\u{1F}")
                    if let firstLine = seen[key] {
                        r.fail(file.keyColumns[0], "duplicate key \(key.replacingOccurrences(of: "\u{1F}", with: "/")) (first on line \(firstLine))")
                    }
                }
                let write = Self.map(file, &r, refs: &refs, today: today, prepass: prepass)
                guard r.issues.isEmpty else {
                    rejectAll(r.issues, fields: row.fields, report: &report)
                    continue
                }
                if trackKeys { seen[key] = Int32(row.line) }
                report.imported += 1
                batch.append(ValidRow(line: row.line, fields: row.fields, write: write))
                if batch.count == ImportPipeline.batchSize {
                    emit(.rows(file: file, batch))
                    batch.removeAll(keepingCapacity: true)
                }
            }
        }
        if !batch.isEmpty { emit(.rows(file: file, batch)) }
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
    private static func map(_ file: ExtractFile, _ r: inout FieldReader, refs: inout ExtractReferences,
                            today: CalendarDate, prepass: DerivedPrepass?) -> PendingWrite {
        switch file {
        case .customers:
            guard let v = RowMapping.customer(&r, today: today) else { return .none }
            refs.customers.insert(v.customerID)
            return .customer(v, prepass?.derived(for: v.customerID))
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
enum PendingWrite: Sendable {
    case customer(Customer, ImportSession.KnownDerived?), relation(Relation), product(Product), account(Account)
    case monthly(MonthlyBalance), transaction(Transaction), loan(LoanInstalment), staff(Staff)
    case assignment(Assignment), unit(PayrollUnit), survey(SurveyResponse), complaint(Complaint)
    case interaction(Interaction)
    case none

    func apply(to s: ImportSession) throws {
        switch self {
        case .customer(let v, let derived): try s.upsert(v, derived: derived)
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
