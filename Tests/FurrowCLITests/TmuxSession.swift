import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The real binary in a real terminal: a private tmux server per test, keys sent with
/// send-keys, the screen read with capture-pane, waiting for what a person would wait for.
struct TmuxSession {
    let socket = "furrow-test-\(UUID().uuidString.prefix(8))"
    static var tmux: String? {
        ["/usr/bin/tmux", "/usr/local/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs tmux through the shell with system()/popen(), not Foundation's Process: the tmux
    /// server that new-session forks would inherit the descriptor Process watches to learn that
    /// its child ended, and the wait would never finish.
    @discardableResult
    func tmux(_ args: [String], capture: Bool = false) throws -> (status: Int32, output: String) {
        func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let command = ([Self.tmux ?? "tmux", "-L", socket] + args).map(quote).joined(separator: " ")
        if !capture {
            let status = system(command + " </dev/null >/dev/null 2>&1")
            return (status == 0 ? 0 : 1, "")
        }
        guard let f = popen(command + " 2>/dev/null", "r") else { return (1, "") }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n <= 0 { break }
            data.append(contentsOf: buffer[0..<n])
        }
        let status = pclose(f)
        return (status == 0 ? 0 : 1, String(decoding: data, as: UTF8.self))
    }

    /// Starts `command` in a new session; `environment` is set before it (FURROW_USER, XDG_CONFIG_HOME…).
    func start(_ command: String, width: Int = 120, height: Int = 40, environment: [String: String] = [:]) throws {
        var env = ["LANG": "C.UTF-8", "TERM": "tmux-256color", "FURROW_USER": "S_TMUX"]
        env.merge(environment) { _, new in new }
        let prefix = env.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        // The pane inherits the test runner's environment (which may say NO_COLOR): start clean.
        // exec: the pane's process is the command itself (a leading "exec " in `command` is implied).
        let program = command.hasPrefix("exec ") ? String(command.dropFirst(5)) : command
        try tmux(["new-session", "-d", "-x", "\(width)", "-y", "\(height)", "exec env -u NO_COLOR \(prefix) \(program)"])
    }

    /// Waits until the session's process has ended.
    func waitForExit(seconds: Double = 5) -> Bool {
        let deadline = Deadline(seconds: seconds)
        while isRunning, !deadline.hasPassed { Thread.sleep(forTimeInterval: 0.05) }
        return !isRunning
    }

    func screen() throws -> String { try tmux(["capture-pane", "-p"], capture: true).output }

    func send(_ keys: String...) throws { try tmux(["send-keys"] + keys) }

    /// Waits (up to `seconds`) until the screen shows `text`; returns the screen.
    @discardableResult
    func waitFor(_ text: String, seconds: Double = 10) throws -> String {
        let deadline = Deadline(seconds: seconds)
        var last = ""
        while !deadline.hasPassed {
            last = try screen()
            if last.contains(text) { return last }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw WaitError(text: text, screen: last)
    }

    var isRunning: Bool { (try? tmux(["has-session"]).status) == 0 }

    func kill() { _ = try? tmux(["kill-server"]) }

    struct WaitError: Error, CustomStringConvertible {
        var text: String
        var screen: String
        var description: String { "the screen never showed \"\(text)\"; it showed:\n\(screen)" }
    }
}
