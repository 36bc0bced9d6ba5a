import FurrowCore

/// Reads the fields of one CSV record by column name, converting and validating each, and
/// collects every problem of the record (not just the first) as `ImportIssue`s.
struct FieldReader {
    let file: String
    let line: Int
    let fields: [String]
    /// Column name → field index, for the columns present in this file's header.
    let columns: [String: Int]
    var issues: [ImportIssue] = []

    init(file: String, line: Int, fields: [String], columns: [String: Int]) {
        self.file = file; self.line = line; self.fields = fields; self.columns = columns
    }

    /// Control characters (ESC and the rest of C0, DEL) have no place in banking data and could
    /// drive a terminal that prints the field; tab and line breaks inside quotes are fine.
    mutating func rejectControlCharacters(header: [String]) {
        for (i, field) in fields.enumerated() {
            guard let bad = field.utf8.first(where: { ($0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D) || $0 == 0x7F })
            else { continue }
            let hex = String(bad, radix: 16, uppercase: true)
            fail(i < header.count ? header[i] : "-", "contains the control character U+\(String(repeating: "0", count: 4 - hex.count))\(hex)")
        }
    }

    mutating func fail(_ column: String, _ reason: String) {
        issues.append(ImportIssue(file: file, line: line, column: column, reason: reason))
    }

    /// The trimmed text of a column; blank means absent.
    func text(_ column: String) -> String? {
        guard let i = columns[column], i < fields.count else { return nil }
        let raw = fields[i]
        // Fast path: most fields have no surrounding spaces.
        if let f = raw.utf8.first, let l = raw.utf8.last, f != 0x20, l != 0x20, f != 0x09, l != 0x09 { return raw }
        let t = raw.trimmingSpaces()
        return t.isEmpty ? nil : t
    }

    mutating func required(_ column: String) -> String? {
        guard let v = text(column) else { fail(column, "required value is missing"); return nil }
        return v
    }

    mutating func code<E: RawRepresentable & CaseIterable>(_ column: String, _ type: E.Type, required: Bool = false) -> E?
    where E.RawValue == String {
        guard let v = required ? self.required(column) : text(column) else { return nil }
        if let e = E(rawValue: v) { return e }
        let allowed = E.allCases.map(\.rawValue).joined(separator: "|")
        fail(column, "unknown code \"\(v)\" (expected \(allowed))")
        return nil
    }

    mutating func date(_ column: String, required: Bool = false) -> CalendarDate? {
        guard let v = required ? self.required(column) : text(column) else { return nil }
        if let d = CalendarDate(iso: v) { return d }
        fail(column, "\"\(v)\" is not a date YYYY-MM-DD")
        return nil
    }

    /// `YYYY-MM-DD HH:MM:SS`, Asia/Shanghai local time, kept as written.
    mutating func timestamp(_ column: String, required: Bool = false) -> String? {
        guard let v = required ? self.required(column) : text(column) else { return nil }
        let u = Array(v.utf8)
        func digits(_ r: Range<Int>, _ max: Int) -> Bool {
            var n = 0
            for i in r { let d = Int(u[i]) - 48; guard (0...9).contains(d) else { return false }; n = n * 10 + d }
            return n <= max
        }
        if u.count == 19, u[10] == 0x20, u[13] == 0x3A, u[16] == 0x3A,
           CalendarDate(iso: v.prefix(10)) != nil,
           digits(11..<13, 23), digits(14..<16, 59), digits(17..<19, 59) {
            return v
        }
        fail(column, "\"\(v)\" is not a timestamp YYYY-MM-DD HH:MM:SS")
        return nil
    }

    /// `YYYY-MM`
    mutating func month(_ column: String) -> String? {
        guard let v = required(column) else { return nil }
        if v.utf8.count == 7, CalendarDate(iso: v + "-01") != nil { return v }
        fail(column, "\"\(v)\" is not a month YYYY-MM")
        return nil
    }

    /// Amounts beyond a trillion yuan are refused: no branch holds them, and sums of many
    /// such values must still fit in 64-bit fen.
    static let largestAmount = Money(yuan: 1_000_000_000_000)

    mutating func money(_ column: String, required: Bool = true) -> Money? {
        guard let v = required ? self.required(column) : text(column) else { return nil }
        var s = v
        var amount = s.withUTF8 { Money.parseYuan(utf8: $0) }
        if amount == nil {
            do { amount = try Money.parse(v) } catch {
                fail(column, "bad amount: \(error.description)")
                return nil
            }
        }
        guard let m = amount, m.fen.magnitude <= Self.largestAmount.fen.magnitude else {
            fail(column, "\"\(v)\" is beyond the largest amount accepted (1,000,000,000,000.00)")
            return nil
        }
        return m
    }

    mutating func int(_ column: String, in range: ClosedRange<Int>, required: Bool = false) -> Int? {
        guard let v = required ? self.required(column) : text(column) else { return nil }
        guard let n = Int(v), range.contains(n) else {
            fail(column, "\"\(v)\" is not a whole number in \(range.lowerBound)...\(range.upperBound)")
            return nil
        }
        return n
    }

    mutating func mobile(_ column: String) -> String? {
        guard let v = text(column) else { return nil }
        // The extract format writes bare digits; a separator means the source system is not
        // normalising, which the bank should hear about rather than have silently fixed.
        let bare = v.utf8.count == 11 && v.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        do {
            let parsed = try MobileNumber.parse(v).digits
            if bare { return parsed }
            fail(column, "\"\(v)\" must be written as 11 digits, without separators or country code")
            return nil
        } catch {
            fail(column, error.message)
            return nil
        }
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
