import Foundation
import TOMLKit
import TOMLSupport

/// The workstation's settings file (`~/.config/furrow/config.toml`):
/// ```toml
/// theme = "light"            # a name in themes/ or a path to a .toml file
/// idle_lock_minutes = 10     # 0 turns the idle lock off
/// rules = "/etc/furrow/rules.toml"   # the bank's rules file (furrow rules show prints one)
/// sync_minutes = 5           # background sync with the branch server; 0 turns it off
/// ```
/// A bad file is refused with the file, line and reason, like a bad theme.
public struct WorkstationConfig: Sendable, Equatable {
    public var theme: String?
    public var idleLockMinutes: Int?
    public var rules: String?
    public var syncMinutes: Int?

    public init(theme: String? = nil, idleLockMinutes: Int? = nil, rules: String? = nil, syncMinutes: Int? = nil) {
        self.theme = theme
        self.idleLockMinutes = idleLockMinutes
        self.rules = rules
        self.syncMinutes = syncMinutes
    }

    public struct LoadError: Error, CustomStringConvertible {
        public var description: String
    }

    public static func parse(_ text: String, file: String) throws(LoadError) -> WorkstationConfig {
        let table: TOMLTable
        do { table = try TOMLDocument.parse(text) } catch {
            throw LoadError(description: "\(file):\(error.line): \(error.message)")
        }
        func line(of key: String) -> Int {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            return (lines.firstIndex { $0.trimmingCharacters(in: .whitespaces).hasPrefix(key) } ?? 0) + 1
        }
        var config = WorkstationConfig()
        for key in table.keys {
            switch key {
            case "theme":
                guard let s = table[key]?.string, !s.isEmpty else {
                    throw LoadError(description: "\(file):\(line(of: key)): theme: expected a theme name or a .toml path")
                }
                config.theme = s
            case "idle_lock_minutes":
                guard let n = table[key]?.int, (0...1440).contains(n) else {
                    throw LoadError(description: "\(file):\(line(of: key)): idle_lock_minutes: expected whole minutes, 0 to 1440")
                }
                config.idleLockMinutes = n
            case "rules":
                guard let s = table[key]?.string, !s.isEmpty else {
                    throw LoadError(description: "\(file):\(line(of: key)): rules: expected the path of a rules file")
                }
                config.rules = s
            case "sync_minutes":
                guard let n = table[key]?.int, (0...1440).contains(n) else {
                    throw LoadError(description: "\(file):\(line(of: key)): sync_minutes: expected whole minutes, 0 to 1440")
                }
                config.syncMinutes = n
            default:
                throw LoadError(description: "\(file):\(line(of: key)): unknown setting \"\(key)\" (known: theme, idle_lock_minutes, rules, sync_minutes)")
            }
        }
        return config
    }

    /// Reads the file if it exists; no file means the defaults.
    public static func load(path: String) throws(LoadError) -> WorkstationConfig {
        guard FileManager.default.fileExists(atPath: path) else { return WorkstationConfig() }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw LoadError(description: "\(path): cannot be read as UTF-8 text")
        }
        return try parse(text, file: path)
    }
}
