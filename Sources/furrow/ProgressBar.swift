import Foundation
import FurrowImport
import Synchronization

/// A one-line progress bar on stderr when it is a terminal; silent when piped, so scripts
/// and logs see only the result. Sendable: the demo generator reports from its own threads.
final class ProgressBar: Sendable {
    private let label: String
    private let enabled: Bool
    private let lastDrawn = Mutex(-1)
    private let start = Date()

    init(label: String) {
        self.label = label
        self.enabled = isatty(STDERR_FILENO) == 1
    }

    func update(_ fraction: Double, detail: String = "") {
        guard enabled else { return }
        let percent = Int((max(0, min(1, fraction)) * 100).rounded(.down))
        let changed = lastDrawn.withLock { last in
            defer { last = percent }
            return last != percent
        }
        guard changed else { return }
        let width = 30
        let filled = width * percent / 100
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let elapsed = Int(Date().timeIntervalSince(start))
        FileHandle.standardError.write(Data("\r\(label) \(bar) \(percent)% \(elapsed)s \(detail)\u{1B}[K".utf8))
    }

    /// An import's progress: the file being read, then the last step, which has no percentage.
    func update(_ p: ImportProgress) {
        update(p.fraction, detail: p.fraction >= 1 ? "building indexes and committing…" : p.file)
    }

    func finish() {
        guard enabled, lastDrawn.withLock({ $0 }) >= 0 else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
