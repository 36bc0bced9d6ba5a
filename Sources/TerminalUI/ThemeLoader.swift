import Foundation
import TOMLKit
import TOMLSupport

/// Why a theme was refused: `FILE:LINE: reason`, with the line of the offending key; `FILE: reason`
/// when no line applies (an unreadable file), or just the reason (an unknown theme name).
public struct ThemeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String?
    public var line: Int?
    public var reason: String

    public init(file: String? = nil, line: Int? = nil, _ reason: String) {
        self.file = file; self.line = line; self.reason = reason
    }

    public var description: String {
        let place = [file, line.map(String.init)].compactMap { $0 }.joined(separator: ":")
        return place.isEmpty ? reason : "\(place): \(reason)"
    }
}

/// Reads theme files (format: themes/README.md) and finds them by name on a search path.
public enum ThemeLoader {
    public static func parse(_ text: String, file: String) throws(ThemeError) -> Theme {
        let root: TOMLTable
        do { root = try TOMLDocument.parse(text) } catch {
            throw ThemeError(file: file, line: error.line, "TOML syntax: \(error.message) (column \(error.column))")
        }
        return try ThemeReader(file: file, keys: KeyLines(text)).theme(from: root)
    }

    public static func load(path: String) throws(ThemeError) -> Theme {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ThemeError(file: path, "no such theme file")
        }
        guard !isDirectory.boolValue else { throw ThemeError(file: path, "is a directory, not a theme file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ThemeError(file: path, "cannot read the theme file (check its permissions)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ThemeError(file: path, "the theme file is not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    /// A value with a "/" or ending ".toml" is a file; anything else is a name, read from
    /// NAME.toml in the first search directory that has one.
    public static func resolve(_ nameOrPath: String, searchDirectories: [String]) throws(ThemeError) -> Theme {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".toml") { return try load(path: nameOrPath) }
        guard !nameOrPath.isEmpty else { throw ThemeError("no theme name given") }
        for directory in searchDirectories {
            let path = join(directory, nameOrPath + ".toml")
            if FileManager.default.fileExists(atPath: path) { return try load(path: path) }
        }
        let names = availableNames(in: searchDirectories)
        guard !names.isEmpty else {
            throw ThemeError("no theme \"\(nameOrPath)\": no theme files in \(searchDirectories.joined(separator: ", "))")
        }
        let hint = Spelling.nearest(nameOrPath, in: names, within: 3).map { "did you mean \"\($0)\"? " } ?? ""
        throw ThemeError("unknown theme \"\(nameOrPath)\"; \(hint)available: \(names.joined(separator: ", "))")
    }

    /// The theme names (files NAME.toml) in these directories, sorted, each once.
    public static func availableNames(in directories: [String]) -> [String] {
        var names = Set<String>()
        for directory in directories {
            for file in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            where file.hasSuffix(".toml") && file.count > 5 {
                names.insert(String(file.dropLast(5)))
            }
        }
        return names.sorted()
    }

    /// Where themes are looked for, first match wins: `$FURROW_THEMES` (a directory, or several
    /// separated by ":"), the user's `$XDG_CONFIG_HOME/furrow/themes` (else
    /// `~/.config/furrow/themes`), the nearest `themes/` holding default.toml above the
    /// executable (so `swift run` in a clone finds the repository's), then the system's.
    /// `executablePath` should be absolute (`Bundle.main.executablePath`); a relative one is
    /// taken from the current directory.
    public static func defaultSearchDirectories(executablePath: String, environment: [String: String]) -> [String] {
        var directories: [String] = []
        if let list = environment["FURROW_THEMES"] {
            directories += list.split(separator: ":").map(String.init)
        }
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {   // XDG: relative means unset
            directories.append(join(xdg, "furrow/themes"))
        } else if let home = environment["HOME"], !home.isEmpty {
            directories.append(join(home, ".config/furrow/themes"))
        }
        if let bundled = themesDirectory(above: executablePath) { directories.append(bundled) }
        directories += ["/usr/local/share/furrow/themes", "/usr/share/furrow/themes"]
        var seen = Set<String>()
        return directories.filter { seen.insert($0).inserted }
    }

    /// The nearest `DIR/themes` with a default.toml, DIR walking up from the executable's
    /// directory; symbolic links are followed first, so a linked binary finds its own clone.
    static func themesDirectory(above executablePath: String) -> String? {
        guard !executablePath.isEmpty else { return nil }
        let resolved = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().path
        var parts = resolved.split(separator: "/").map(String.init)
        while !parts.isEmpty {
            parts.removeLast()
            let candidate = "/" + (parts + ["themes"]).joined(separator: "/")
            if FileManager.default.fileExists(atPath: candidate + "/default.toml") { return candidate }
        }
        return nil
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}

/// Edit distance, for "did you mean" in refusals.
enum Spelling {
    static func nearest(_ word: String, in candidates: [String], within limit: Int = .max) -> String? {
        let scored = candidates.map { ($0, distance(word, $0)) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= limit else { return nil }
        return best.0
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for (i, ca) in a.enumerated() {
            var diagonal = row[0]
            row[0] = i + 1
            for (j, cb) in b.enumerated() {
                let substitution = diagonal + (ca == cb ? 0 : 1)
                diagonal = row[j + 1]
                row[j + 1] = min(substitution, row[j + 1] + 1, row[j] + 1)
            }
        }
        return row[b.count]
    }
}

/// Turns a parsed theme document into a `Theme`, refusing what it does not understand with the
/// line of the key at fault.
struct ThemeReader {
    let file: String
    let keys: KeyLines

    static let topLevelKeys = ["name", "roles"]
    static let styleKeys = ["fg", "bg", "attrs"]
    /// Known roles and the families above them (`list.selection`, `list`): a theme may style a
    /// whole family at once, and `Theme.style(for:)` falls back to it.
    static let acceptedRoles: Set<String> = Set(Theme.knownRoles.flatMap { role in
        role.indices.filter { role[$0] == "." }.map { String(role[..<$0]) } + [role]
    })

    private struct RoleEntry {
        var name: String
        var table: TOMLTable
        var keys: [String]
        var line: Int?
    }

    func theme(from root: TOMLTable) throws(ThemeError) -> Theme {
        for key in root.keys where !Self.topLevelKeys.contains(key) {
            throw fail([key], "unknown key \"\(key)\"\(hint(key, Self.topLevelKeys)); a theme has name = \"…\" and a [roles] table")
        }
        guard let nameValue = root["name"] else { throw ThemeError(file: file, line: 1, "missing name = \"…\" (the theme's name)") }
        guard let name = nameValue.string, !name.isEmpty else { throw fail(["name"], "name must be a non-empty string") }
        var styles: [String: Style] = [:]
        if let rolesValue = root["roles"] {
            guard let roles = rolesValue.table else { throw fail(["roles"], "roles must be a table: [roles]") }
            var entries: [RoleEntry] = []
            try collect(roles, keys: roles.keys, prefix: nil, into: &entries)
            // Checked in file order, so the first mistake in the file is the one reported.
            entries.sort { ($0.line ?? .max, $0.name) < ($1.line ?? .max, $1.name) }
            for entry in entries {
                guard Self.acceptedRoles.contains(entry.name) else {
                    let near = Spelling.nearest(entry.name, in: Theme.knownRoles).map { "; did you mean \"\($0)\"?" } ?? ""
                    throw ThemeError(file: file, line: entry.line, "unknown role \"\(entry.name)\"\(near)")
                }
                guard styles[entry.name] == nil else {
                    let lines = keys.lines(exactly: rolePath(entry.name))
                    throw ThemeError(file: file, line: lines.count > 1 ? lines[1] : entry.line, "role \"\(entry.name)\" is set twice")
                }
                styles[entry.name] = try style(entry)
            }
        }
        return Theme(name: name, styles: styles)
    }

    /// Flattens [roles]: `"list.selection" = {…}`, `list.selection = {…}` and
    /// `[roles.list.selection]` all name one role. A table holding only tables is a family.
    private func collect(_ table: TOMLTable, keys names: [String], prefix: String?,
                         into entries: inout [RoleEntry]) throws(ThemeError) {
        for key in names {
            let name = prefix.map { "\($0).\(key)" } ?? key
            guard let sub = table[key]?.table else {
                throw fail(rolePath(name), "role \"\(name)\" must be a table, such as { fg = \"cyan\", attrs = [\"bold\"] }")
            }
            let nested = sub.keys.filter { !Self.styleKeys.contains($0) && sub[$0]?.table != nil }
            let own = sub.keys.filter { !nested.contains($0) }
            if sub.isEmpty || !own.isEmpty {
                entries.append(RoleEntry(name: name, table: sub, keys: own, line: keys.line(of: rolePath(name))))
            }
            try collect(sub, keys: nested, prefix: name, into: &entries)
        }
    }

    private func style(_ entry: RoleEntry) throws(ThemeError) -> Style {
        var style = Style()
        for key in entry.keys {
            let path = rolePath(entry.name) + [key]
            guard let value = entry.table[key] else { continue }
            switch key {
            case "fg": style.fg = try colour(value, at: path, what: "fg of role \"\(entry.name)\"")
            case "bg": style.bg = try colour(value, at: path, what: "bg of role \"\(entry.name)\"")
            case "attrs": try attributes(value, at: path, role: entry.name, into: &style)
            default:
                throw fail(path, "unknown key \"\(key)\" in role \"\(entry.name)\"\(hint(key, Self.styleKeys)); a role takes fg, bg and attrs")
            }
        }
        return style
    }

    private func colour(_ value: TOMLValueConvertible, at path: [String], what: String) throws(ThemeError) -> ThemeColour? {
        var near = ""
        if let n = value.int {
            guard (0...255).contains(n) else { throw fail(path, "bad colour \(n) for \(what): a palette index is 0…255") }
            return .indexed(n)
        }
        if let text = value.string?.lowercased() {
            if text == "default" { return nil }
            if let i = ThemeColour.names.firstIndex(of: text) { return .named(i) }
            if text.count == 7, text.first == "#", text.dropFirst().allSatisfy(\.isHexDigit),
               let v = Int(text.dropFirst(), radix: 16) {
                return .rgb(r: v >> 16, g: (v >> 8) & 0xff, b: v & 0xff)
            }
            near = hint(text, ThemeColour.names + ["default"])
        }
        throw fail(path, "bad colour \(describe(value)) for \(what)\(near): expected a colour name (black, red, green, yellow, "
            + "blue, magenta, cyan, white, or one of them with bright- before it), \"default\", a palette index 0…255 or \"#rrggbb\"")
    }

    private func attributes(_ value: TOMLValueConvertible, at path: [String], role: String,
                            into style: inout Style) throws(ThemeError) {
        guard let list = value.array else {
            throw fail(path, "attrs of role \"\(role)\" must be a list, such as [\"bold\", \"underline\"]")
        }
        for item in list {
            switch item.string {
            case "bold": style.bold = true
            case "dim": style.dim = true
            case "underline": style.underline = true
            case "reverse": style.reverse = true
            case "italic": style.italic = true
            default:
                let near = item.string.map { hint($0, ["bold", "dim", "underline", "reverse", "italic"]) } ?? ""
                throw fail(path, "bad attribute \(describe(item)) in role \"\(role)\"\(near): expected bold, dim, underline, reverse or italic")
            }
        }
    }

    private func rolePath(_ name: String) -> [String] {
        ["roles"] + name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    private func fail(_ path: [String], _ reason: String) -> ThemeError {
        ThemeError(file: file, line: keys.line(of: path), reason)
    }

    private func hint(_ word: String, _ candidates: [String]) -> String {
        Spelling.nearest(word, in: candidates, within: 2).map { " (did you mean \"\($0)\"?)" } ?? ""
    }

    private func describe(_ value: TOMLValueConvertible) -> String {
        if let s = value.string { return "\"\(s)\"" }
        if let n = value.int { return String(n) }
        return "(a \(value.type))"
    }
}
