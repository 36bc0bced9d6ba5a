import FurrowCore
import TerminalUI

/// The `:` command line: what was typed, its completion, and what it means.
struct CommandLineState {
    var editor = LineEditor("", maxLength: 200)
    /// Theme and saved-view names, for completion.
    var themes: [String] = []
    var views: [String] = []

    enum Command: Equatable {
        case quit, help, lock, drafts, empty
        case find(String)
        case log(InteractionChannel, String?)
        case task(String?)
        case complaint(String?)
        case note(String?)
        case theme(String)
        case view(String)
        case scope(String)
        case tab(WorkstationApp.Tab)
        case unknown(String)
    }

    /// The words the command line knows, in the order completion offers them.
    static let verbs = ["log call", "log visit", "find", "task", "complaint", "note", "theme", "view", "view save",
                        "view delete", "scope mine", "scope team", "scope branch", "today", "portfolio", "complaints",
                        "drafts", "lock", "help", "quit"]

    static func parse(_ line: String) -> Command {
        let t = line.trimmingCharacters(in: .whitespaces)
        let words = t.split(separator: " ", maxSplits: 1).map(String.init)
        guard let verb = words.first?.lowercased() else { return .empty }
        let rest = words.count > 1 ? words[1].trimmingCharacters(in: .whitespaces) : ""
        let arg: String? = rest.isEmpty ? nil : rest
        switch verb {
        case "q", "quit", "exit": return .quit
        case "help", "?": return .help
        case "lock": return .lock
        case "drafts", "draft": return .drafts
        case "find", "f", "search", "/": return arg.map { .find($0) } ?? .unknown(t)
        case "log", "l":
            let parts = rest.split(separator: " ", maxSplits: 1).map(String.init)
            guard let first = parts.first, let channel = InteractionChannel(rawValue: first.lowercased()) else {
                return .unknown(t)
            }
            return .log(channel, parts.count > 1 ? parts[1] : nil)
        case "call": return .log(.call, arg)
        case "visit": return .log(.visit, arg)
        case "task", "t": return .task(arg)
        case "complaint": return .complaint(arg)
        case "note": return .note(arg)
        case "theme": return arg.map { .theme($0) } ?? .unknown(t)
        case "view", "views": return .view(rest)
        case "scope": return arg.map { .scope($0.lowercased()) } ?? .unknown(t)
        case "today": return .tab(.today)
        case "portfolio": return .tab(.portfolio)
        case "complaints": return .tab(.complaints)
        case "reports": return .tab(.reports)
        case "sync": return .tab(.sync)
        default: return .unknown(t)
        }
    }

    /// Candidates for what has been typed so far: verbs, then theme or view names after
    /// `theme ` or `view `.
    func candidates(themes: [String], views: [String]) -> [String] {
        let t = editor.text
        let lower = t.lowercased()
        if lower.hasPrefix("theme ") {
            let p = String(t.dropFirst(6))
            return themes.filter { $0.hasPrefix(p) }.map { "theme " + $0 }
        }
        if lower.hasPrefix("view ") && !lower.hasPrefix("view save ") && !lower.hasPrefix("view delete ") {
            let p = String(t.dropFirst(5))
            return (["save ", "delete "] + views).filter { $0.hasPrefix(p) }.map { "view " + $0 }
        }
        return Self.verbs.filter { $0.hasPrefix(lower) && $0 != lower }
    }

    /// Tab: completes to the longest common prefix of the candidates (the whole word when one).
    mutating func complete(themes: [String], views: [String]) {
        let c = candidates(themes: themes, views: views)
        guard let first = c.first else { return }
        var common = first
        for other in c.dropFirst() {
            while !other.hasPrefix(common) { common.removeLast() }
        }
        if c.count == 1 && !common.hasSuffix(" ") { common += " " }
        if common.count > editor.text.count { editor.text = common }
    }

    func hint(themes: [String], views: [String]) -> String {
        let c = candidates(themes: themes, views: views)
        if editor.text.isEmpty { return "log call · find 王 · task · theme · view · quit  (Tab 补全 completes)" }
        return c.isEmpty ? "Enter 执行 run · Esc 取消 cancel" : c.prefix(6).joined(separator: " · ")
    }
}
