/// A one-line trend chart of block characters, for a 12-month AUM series.
public enum Sparkline {
    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    public static func render(_ values: [Int64]) -> String {
        guard let lo = values.min(), let hi = values.max() else { return "" }
        if hi == lo { return String(repeating: blocks[3], count: values.count) }
        // In Double: the difference of two extreme Int64 values does not fit in Int64.
        let span = Double(hi) - Double(lo)
        return String(values.map { v in
            blocks[max(0, min(7, Int((Double(v) - Double(lo)) / span * 7.999)))]
        })
    }
}
