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

    public var description: String {
        switch self {
        case .notADirectory(let p): "\(p) is not a directory of extract files"
        case .noExtractFiles(let p):
            "\(p) holds none of the extract files (\(ExtractFile.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .store(let e): e.description
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
                    progress: (@Sendable (ImportProgress) -> Void)? = nil) throws(ImportFailure) -> ImportReport {
        let clock = ContinuousClock.now
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: options.directory.path, isDirectory: &isDir), isDir.boolValue else {
            throw .notADirectory(options.directory.path)
        }
        let names = Set((try? fm.contentsOfDirectory(atPath: options.directory.path)) ?? [])
        let present = ExtractFile.allCases.filter { names.contains($0.rawValue) }
        guard !present.isEmpty else { throw .noExtractFiles(options.directory.path) }

        var warnings: [ImportIssue] = []
        for name in names.sorted() where name.lowercased().hasSuffix(".csv")
            && ExtractFile(rawValue: name) == nil && name != "rejects.csv" {
            warnings.append(ImportIssue(file: name, line: 0, column: "-", reason: "not a file of extract format v1; ignored"))
        }
        var run = ImportRun(options: options, files: present, progress: progress)
        let committed: Bool
        do {
            committed = try store.importExtract(directory: options.directory.path, actor: options.actor,
                                                asOf: options.asOf) { session in
                run.firstLoads = Set(try ImportSession.extractTables.filter { try session.isFirstLoad($0) })
                run.assignmentDate = session.assignmentDate
                run.refs = ExtractReferences(
                    customers: try session.existingKeys(.customers), accounts: try session.existingKeys(.accounts),
                    products: try session.existingKeys(.products), staff: try session.existingKeys(.staff),
                    payrollUnits: try session.existingKeys(.payrollUnits))
                run = try ImportPipeline.run(run, into: session)
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
                    warnings.append(ImportIssue(file: url.lastPathComponent, line: 0, column: "-",
                        reason: "cannot write the rejected rows here: \(error.localizedDescription)"))
                }
            }
        }
        let elapsed = ContinuousClock.now - clock
        var report = ImportReport(files: run.reports, issues: run.issues, warnings: warnings + run.warnings, committed: committed,
                            rejectsFile: rejectsPath, seconds: 0, rowsChanged: committed ? changed : 0)
        report.seconds = elapsed.seconds
        return report
    }
}

