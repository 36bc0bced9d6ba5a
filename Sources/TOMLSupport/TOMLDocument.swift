import TOMLKit

/// A TOML text read into a table, or the syntax error with its line and column. Every TOML file
/// furrow reads (themes, the rules file, config.toml) comes through here.
///
/// toml++ (under TOMLKit) aborts the whole process, in release builds too, where its parser
/// asserts instead of reporting (found by fuzzing, Fuzz/TOMLFuzz.swift): a table header whose
/// first key starts with neither a bare-key character nor a quote — `[%]`, `[ %]`, `[[%]]`,
/// `[服务]` — and a `}` where a list expects a value — `x = [}`, `x = [1, }`. Those are found here
/// first and refused as the syntax errors they are.
public enum TOMLDocument {
    public struct SyntaxError: Error, Sendable, CustomStringConvertible {
        public var line: Int
        public var column: Int
        public var message: String
        public var description: String { message }
    }

    public static func parse(_ text: String) throws(SyntaxError) -> TOMLTable {
        if let bad = abortingSyntax(in: text) { throw SyntaxError(line: bad.line, column: bad.column, message: bad.message) }
        do { return try TOMLTable(string: text) } catch let e as TOMLParseError {
            throw SyntaxError(line: e.source.begin.line, column: e.source.begin.column, message: e.description)
        } catch {
            throw SyntaxError(line: 1, column: 1, message: "\(error)")
        }
    }

    /// The first of those two mistakes, with its position. Strings and comments are skipped,
    /// and lists and inline tables of values are followed, so only a real header (a `[` first
    /// on a line, outside any value) and a real list are looked at.
    static func abortingSyntax(in text: String) -> (line: Int, column: Int, message: String)? {
        let s = Array(text.unicodeScalars)
        // A byte-order mark first is skipped by the parser too.
        var i = s.first == "\u{FEFF}" ? 1 : 0, line = 1, lineStart = i
        var open: [Unicode.Scalar] = []   // the lists ([) and inline tables ({) of values open here
        var listWantsValue = false        // just after a list's [ or one of its commas
        var lineIsBlank = true        // only whitespace so far on this line
        var inHeader = false
        func at(_ k: Int) -> Unicode.Scalar? { k < s.count ? s[k] : nil }
        func isBare(_ c: Unicode.Scalar) -> Bool {
            ("A"..."Z").contains(c) || ("a"..."z").contains(c) || ("0"..."9").contains(c) || c == "_" || c == "-"
        }
        /// Skips a string opening at `i` (one or three quotes); stops on its closing quote(s).
        func skipString() {
            let q = s[i]
            let triple = at(i + 1) == q && at(i + 2) == q
            i += triple ? 3 : 1
            while i < s.count {
                let c = s[i]
                if c == "\\" && q == "\"" { i += 2; continue }
                if c == "\n" {
                    if !triple { return }   // an unclosed one-line string: the parser says so
                    line += 1; lineStart = i + 1
                }
                if c == q && (!triple || (at(i + 1) == q && at(i + 2) == q)) {
                    i += triple ? 3 : 1
                    return
                }
                i += 1
            }
        }
        while i < s.count {
            let c = s[i]
            if listWantsValue, c == "}" {
                return (line, i - lineStart + 1, "a list holds values: } where a value or ] was expected")
            }
            if listWantsValue, !(c == " " || c == "\t" || c == "\r" || c == "\n" || c == "#") { listWantsValue = false }
            switch c {
            case "\n":
                line += 1; lineStart = i + 1; lineIsBlank = true; inHeader = false
                i += 1
                continue
            case " ", "\t", "\r":
                i += 1
                continue
            case "#":
                while i < s.count, s[i] != "\n" { i += 1 }
                continue
            case "\"", "'":
                lineIsBlank = false
                skipString()
                continue
            case "[" where lineIsBlank && open.isEmpty:
                var k = i + 1
                if at(k) == "[" { k += 1 }
                while at(k) == " " || at(k) == "\t" { k += 1 }
                if let next = at(k), !isBare(next), next != "\"", next != "'" {
                    return (line, k - lineStart + 1, "a table name starts with a letter, a digit, _ or -, or is quoted (\"…\")")
                }
                inHeader = true
                i = k
            case "[", "{":
                if !inHeader {
                    open.append(c)
                    listWantsValue = c == "["
                }
                i += 1
            case "]", "}":
                if !inHeader, !open.isEmpty { open.removeLast() }
                i += 1
            case ",":
                listWantsValue = open.last == "["
                i += 1
            default:
                i += 1
            }
            lineIsBlank = false
        }
        return nil
    }
}
