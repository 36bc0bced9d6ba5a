import Foundation
import FurrowCore

/// Latency samples of one kind of work, summarised as the figures the issues name.
public struct LatencySummary: Sendable, Codable {
    public var name: String
    public var count: Int
    public var p50: Double
    public var p99: Double
    public var max: Double

    /// Milliseconds per call.
    public init(name: String, samplesMs: [Double]) {
        let s = samplesMs.sorted()
        self.name = name
        count = s.count
        func q(_ p: Double) -> Double { s.isEmpty ? 0 : s[min(s.count - 1, Int((Double(s.count) * p).rounded(.up)) - 1)] }
        p50 = q(0.50)
        p99 = q(0.99)
        max = s.last ?? 0
    }
}

enum Stopwatch {
    /// Milliseconds taken by `body`.
    static func ms<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = ContinuousClock.now
        let r = try body()
        let d = ContinuousClock.now - start
        return (r, d.milliseconds)
    }
}

public enum ProcessStats {
    /// The peak resident memory of this process so far, in MiB.
    public static var peakMemoryMiB: Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        return Double(usage.ru_maxrss) / 1024
    }

    public static func fileSizeMiB(_ path: String) -> Double {
        let fm = FileManager.default
        var total = 0
        for suffix in ["", "-wal", "-shm"] {
            if let s = try? fm.attributesOfItem(atPath: path + suffix)[.size] as? Int { total += s }
        }
        return Double(total) / 1_048_576
    }
}

func fmt(_ v: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", v) }

/// A benchmark's own copy of a store (benchmarks write: tasks, lists, ops), removed with `remove`.
struct StoreCopy {
    let path: String

    init(of source: String, named name: String) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent(name).path
        remove()
        try FileManager.default.copyItem(atPath: source, toPath: path)
        // Its write-ahead log (what is not yet checkpointed into the file), and its key file,
        // or the copy's personal data would not open.
        for suffix in ["-wal", ".key"] where FileManager.default.fileExists(atPath: source + suffix) {
            try FileManager.default.copyItem(atPath: source + suffix, toPath: path + suffix)
        }
        // On disk before anything is timed, as a store that has been there since yesterday is:
        // otherwise the first fsync a measured commit makes waits for the whole copy's pages
        // (ext4 writes a new file's data before the journal commit that follows it).
        for suffix in ["", "-wal", ".key"] { Self.flush(path + suffix) }
    }

    static func flush(_ file: String) {
        let fd = open(file, O_RDONLY)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    func remove() {
        for suffix in ["", "-wal", "-shm", ".key"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
