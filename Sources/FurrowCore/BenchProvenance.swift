import Foundation

/// When, from what, and on what a figure was measured — printed under every table's heading,
/// so a figure in docs/benchmarks.md always says its date, commit and machine.
public enum BenchProvenance {
    /// "2026-12-05, commit 105ba40, release build; 2 cores, 24 GiB, Debian GNU/Linux 12, SQLite 3.40.1"
    public static func line(sqlite: String) -> String {
        let day = ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate])
        #if DEBUG
        let build = "debug build (figures not comparable)"
        #else
        let build = "release build"
        #endif
        return "\(day), commit \(commit), \(build); \(machine), SQLite \(sqlite)"
    }

    /// The checkout's commit (with "+changes" when the tree differs from it), or "unknown".
    public static var commit: String {
        guard let head = run("/usr/bin/git", ["rev-parse", "--short", "HEAD"]), !head.isEmpty else { return "unknown" }
        let dirty = run("/usr/bin/git", ["status", "--porcelain", "--untracked-files=no"]).map { !$0.isEmpty } ?? false
        return dirty ? head + "+changes" : head
    }

    public static var machine: String {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let gib = Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824
        var os = ProcessInfo.processInfo.operatingSystemVersionString
        if let release = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8),
           let line = release.split(separator: "\n").first(where: { $0.hasPrefix("PRETTY_NAME=") }) {
            os = line.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return "\(cores) cores, \(Int(gib.rounded())) GiB, \(os)"
    }

    private static func run(_ tool: String, _ arguments: [String]) -> String? {
        guard FileManager.default.isExecutableFile(atPath: tool) else { return nil }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

