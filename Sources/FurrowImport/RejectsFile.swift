import Foundation

/// A record that --skip-invalid left out, with every reason.
struct RejectedRecord: Sendable {
    var issues: [ImportIssue]
    var fields: [String]
}

/// `rejects.csv`: one line per rejected record — file, line, column, reason, and the record
/// itself as CSV — so the bank can correct and re-send exactly those rows.
enum RejectsFile {
    static func write(_ rejects: [RejectedRecord], to url: URL) throws {
        var out = "file,line,column,reason,record\n"
        for r in rejects {
            let first = r.issues[0]
            let reason = r.issues.map { $0.column == first.column ? $0.reason : "\($0.column): \($0.reason)" }
                .joined(separator: "; ")
            let record = r.fields.isEmpty ? "" : r.fields.map(quote).joined(separator: ",")
            out += [first.file, String(first.line), first.column, reason, record].map(quote).joined(separator: ",") + "\n"
        }
        // Rejected rows are customers' personal data: the owner's alone.
        try Data(out.utf8).write(to: url, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
    }

    static func quote(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
