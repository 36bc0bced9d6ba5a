import FurrowCore
import FurrowStore

extension BenchProvenance {
    /// "Measured …" as a line of markdown, followed by a blank line.
    public static var markdown: String { "Measured \(line(sqlite: AppDatabase.sqliteVersion)).\n\n" }
}

extension LatencySummary {
    /// The tail as it may honestly be named: "p99 X ms" from 100 samples or more, else
    /// "max of N X ms" (99 % of fewer than 100 samples is just their largest).
    public func tail(_ digits: Int = 3) -> String {
        count >= 100 ? "p99 \(fmt(p99, digits)) ms" : "max of \(count) \(fmt(max, digits)) ms"
    }

    /// For a table's p99 column: the p99, or "max of N: X" below 100 samples.
    public func p99Cell(_ digits: Int = 3) -> String {
        count >= 100 ? fmt(p99, digits) : "max of \(count): \(fmt(max, digits))"
    }
}
