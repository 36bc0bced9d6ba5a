/// One record of a CSV file.
public struct CSVRow: Sendable, Equatable {
    /// 1-based physical line on which the record starts.
    public let line: Int
    public var fields: [String]

    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}

/// A syntax error in a CSV file. `line` is 1-based; columns in messages are 1-based field numbers.
public struct CSVError: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}

public enum CSVReadResult: Sendable, Equatable {
    case row(CSVRow)
    case failure(CSVError)
}

/// RFC 4180 reader over UTF-8 bytes (decode with `ExtractEncoding` first).
///
/// Comma separator, `"` quoting with `""` escapes, LF or CRLF record ends, newlines inside
/// quoted fields (line numbers keep counting physical lines), a last record without a newline.
/// Blank (empty or whitespace-only) lines are skipped.
///
/// Errors: a quote inside an unquoted field, text after a closing quote (both resynchronise at
/// the next physical line, so reading goes on), and an unterminated quoted field (reported at the
/// line where the field opens; reading ends since the rest of the file is inside it).
public struct CSVReader: Sendable {
    private let bytes: [UInt8]
    private var pos = 0
    private var line = 1
    private var finished = false
    private var lastFieldCount = 8
    private var scratch: [UInt8] = []

    public init(utf8: [UInt8]) {
        self.bytes = utf8
    }

    /// The next record, the next syntax error, or nil at the end of the input.
    public mutating func next() -> CSVReadResult? {
        if finished { return nil }
        let bytes = self.bytes
        return bytes.withUnsafeBufferPointer { buf in readRecord(buf) }
    }

    /// Reads everything (rows and errors in order).
    public mutating func readAll() -> [CSVReadResult] {
        var out: [CSVReadResult] = []
        while let r = next() { out.append(r) }
        return out
    }

    // Byte constants.
    private static let comma: UInt8 = 0x2C, quote: UInt8 = 0x22, lf: UInt8 = 0x0A, cr: UInt8 = 0x0D
    private static let space: UInt8 = 0x20, tab: UInt8 = 0x09

    @inline(__always)
    private static func makeString(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        if start == end { return "" }
        return String(decoding: UnsafeBufferPointer(rebasing: buf[start..<end]), as: UTF8.self)
    }

    /// Skips blank lines; returns false at end of input.
    private mutating func skipBlankLines(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = buf.count
        while pos < n {
            var j = pos
            while j < n, buf[j] == Self.space || buf[j] == Self.tab || buf[j] == Self.cr { j += 1 }
            if j == n { pos = n; return false }
            if buf[j] == Self.lf {
                pos = j + 1
                line += 1
                continue
            }
            return true
        }
        return false
    }

    /// After an error: drop the rest of the physical line.
    private mutating func resync(_ buf: UnsafeBufferPointer<UInt8>) {
        let n = buf.count
        while pos < n {
            if buf[pos] == Self.lf {
                pos += 1
                line += 1
                return
            }
            pos += 1
        }
    }

    private mutating func readRecord(_ buf: UnsafeBufferPointer<UInt8>) -> CSVReadResult? {
        guard skipBlankLines(buf) else {
            finished = true
            return nil
        }
        let n = buf.count
        let startLine = line
        var fields: [String] = []
        fields.reserveCapacity(lastFieldCount)

        while true {
            let column = fields.count + 1
            if pos < n, buf[pos] == Self.quote {
                // Quoted field.
                let openLine = line
                pos += 1
                var segStart = pos
                var usedScratch = false
                var closed = false
                while pos < n {
                    let b = buf[pos]
                    if b == Self.quote {
                        if pos + 1 < n, buf[pos + 1] == Self.quote {
                            // Escaped quote: keep text up to and including one quote.
                            if !usedScratch { scratch.removeAll(keepingCapacity: true); usedScratch = true }
                            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: buf[segStart...pos]))
                            pos += 2
                            segStart = pos
                            continue
                        }
                        closed = true
                        break
                    }
                    if b == Self.lf { line += 1 }
                    pos += 1
                }
                if !closed {
                    finished = true
                    pos = n
                    return .failure(CSVError(
                        line: openLine,
                        message: "unterminated quoted field, column \(column) (opened on line \(openLine)); the rest of the file is lost"))
                }
                if usedScratch {
                    scratch.append(contentsOf: UnsafeBufferPointer(rebasing: buf[segStart..<pos]))
                    fields.append(String(decoding: scratch, as: UTF8.self))
                } else {
                    fields.append(Self.makeString(buf, segStart, pos))
                }
                pos += 1  // closing quote
                // What follows the closing quote.
                if pos >= n {
                    break
                }
                let c = buf[pos]
                if c == Self.comma {
                    pos += 1
                    if pos >= n { fields.append(""); break }
                    continue
                }
                if c == Self.lf {
                    pos += 1; line += 1
                    break
                }
                if c == Self.cr, pos + 1 < n, buf[pos + 1] == Self.lf {
                    pos += 2; line += 1
                    break
                }
                if c == Self.cr, pos + 1 == n {
                    pos += 1
                    break
                }
                let errorLine = line
                resync(buf)
                return .failure(CSVError(
                    line: errorLine, message: "unexpected text after closing quote, column \(column)"))
            } else {
                // Unquoted field.
                let start = pos
                var endOfRecord = false
                var atEnd = false
                while pos < n {
                    let b = buf[pos]
                    if b > Self.comma { pos += 1; continue }  // common case: digits, letters, CJK
                    if b == Self.comma { break }
                    if b == Self.lf { endOfRecord = true; break }
                    if b == Self.cr, pos + 1 == n || buf[pos + 1] == Self.lf { endOfRecord = true; break }
                    if b == Self.quote {
                        let errorLine = line
                        resync(buf)
                        return .failure(CSVError(
                            line: errorLine, message: "unexpected quote in unquoted field, column \(column)"))
                    }
                    pos += 1
                }
                if pos >= n { atEnd = true }
                fields.append(Self.makeString(buf, start, pos))
                if atEnd { break }
                if endOfRecord {
                    if buf[pos] == Self.cr { pos += 1 }
                    if pos < n { pos += 1; line += 1 }  // the LF
                    break
                }
                // Comma.
                pos += 1
                if pos >= n { fields.append(""); break }
            }
        }
        if pos >= n { finished = true }
        lastFieldCount = fields.count
        return .row(CSVRow(line: startLine, fields: fields))
    }
}

/// A header row: names trimmed of whitespace and a stray BOM, looked up by name.
public struct CSVHeader: Sendable, Equatable {
    public let names: [String]
    private let positions: [String: Int]

    public init(fields: [String]) {
        let names = fields.map(CSVHeader.clean)
        self.names = names
        var positions: [String: Int] = [:]
        for (i, name) in names.enumerated() where positions[name] == nil {
            positions[name] = i
        }
        self.positions = positions
    }

    /// Index of the first column with this name (trimmed), or nil.
    public func index(of column: String) -> Int? {
        positions[CSVHeader.clean(column)]
    }

    /// Names that appear more than once, each listed once, in order of first appearance.
    public var duplicates: [String] {
        var seen: Set<String> = []
        var reported: Set<String> = []
        var out: [String] = []
        for name in names {
            if !seen.insert(name).inserted, reported.insert(name).inserted { out.append(name) }
        }
        return out
    }

    static func clean(_ s: String) -> String {
        var scalars = Substring(s).unicodeScalars
        while let f = scalars.first, f == "\u{FEFF}" || f.properties.isWhitespace { scalars.removeFirst() }
        while let l = scalars.last, l == "\u{FEFF}" || l.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
