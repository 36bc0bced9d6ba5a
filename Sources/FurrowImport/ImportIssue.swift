/// One problem found in an extract, reported as `FILE:LINE: column: reason` so a person can
/// open the file at that line. `column` is the header name, or "-" when the problem is the
/// record or the file as a whole (CSV syntax, field count, encoding).
public struct ImportIssue: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: String
    public var reason: String

    public init(file: String, line: Int, column: String, reason: String) {
        self.file = file; self.line = line; self.column = column; self.reason = reason
    }

    public var description: String { "\(file):\(line): \(column): \(reason)" }
}
