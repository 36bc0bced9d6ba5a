/// The line of each key in a TOML text. TOMLKit gives positions for syntax errors but not for
/// values, so refusals find their line here. Keys are kept as dotted paths split at every dot,
/// the way theme roles and rules settings are named; lines inside multi-line strings are not told apart.
public struct KeyLines {
    private var entries: [(line: Int, path: [String])] = []

    public init(_ text: String) {
        var table: [String] = []
        for (i, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.drop { $0 == " " || $0 == "\t" }
            if line.first == "[" {
                guard let (parts, rest) = Self.key(line.drop { $0 == "[" }), rest.first == "]" else { continue }
                table = parts
                entries.append((i + 1, table))
            } else if let (parts, rest) = Self.key(line), rest.first == "=" {
                entries.append((i + 1, table + parts))
            }
        }
    }

    /// The first line naming `path` or a key below it; failing that, the nearest enclosing key's
    /// (a key inside an inline table is on its table's line).
    public func line(of path: [String]) -> Int? {
        var path = path[...]
        while !path.isEmpty {
            if let hit = entries.first(where: { $0.path.starts(with: path) }) { return hit.line }
            path = path.dropLast()
        }
        return nil
    }

    public func lines(exactly path: [String]) -> [Int] {
        entries.filter { $0.path == path }.map(\.line)
    }

    /// Reads a key (bare, "basic" or 'literal' parts, joined by dots) from the start of `s`.
    static func key(_ s: Substring) -> (parts: [String], rest: Substring)? {
        var s = s, parts: [String] = []
        while true {
            s = s.drop { $0 == " " || $0 == "\t" }
            var part = ""
            if let quote = s.first, quote == "\"" || quote == "'" {
                var i = s.index(after: s.startIndex)
                while i < s.endIndex, s[i] != quote {
                    if quote == "\"", s[i] == "\\" {
                        i = s.index(after: i)
                        guard i < s.endIndex else { return nil }
                    }
                    part.append(s[i])
                    i = s.index(after: i)
                }
                guard i < s.endIndex else { return nil }
                s = s[s.index(after: i)...]
            } else {
                let bare = s.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
                guard !bare.isEmpty else { return nil }
                part = String(bare)
                s = s[bare.endIndex...]
            }
            parts += part.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            s = s.drop { $0 == " " || $0 == "\t" }
            guard s.first == "." else { return (parts, s) }
            s = s.dropFirst()
        }
    }
}
