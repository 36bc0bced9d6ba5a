import Foundation

/// Locates the repository's `fixtures/` directory from this source file's path
/// (Tests/FurrowImportTests/FixtureFiles.swift → ../../fixtures).
enum FixtureFiles {
    static var root: URL { locate() }

    static func locate(_ file: String = #filePath) -> URL {
        URL(fileURLWithPath: file)
            .deletingLastPathComponent()   // FurrowImportTests
            .deletingLastPathComponent()   // Tests
            .deletingLastPathComponent()   // repo
            .appendingPathComponent("fixtures", isDirectory: true)
    }

    static func url(_ parts: String...) -> URL {
        parts.reduce(root) { $0.appendingPathComponent($1) }
    }

    static func bytes(_ parts: String...) throws -> [UInt8] {
        let u = parts.reduce(root) { $0.appendingPathComponent($1) }
        return [UInt8](try Data(contentsOf: u))
    }

    /// The 13 files of the extract format, in the order the spec lists them.
    static let extractFiles = [
        "customers.csv", "relations.csv", "products.csv", "accounts.csv", "monthly_balances.csv",
        "transactions.csv", "loan_schedule.csv", "staff.csv", "assignments.csv", "payroll_units.csv",
        "surveys.csv", "complaints.csv", "interactions.csv",
    ]
}
