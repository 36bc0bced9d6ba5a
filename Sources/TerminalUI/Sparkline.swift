/// A one-line trend chart of block characters, for a 12-month AUM series.
public enum Sparkline {
    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    public static func render(_ values: [Int64]) -> String {
        guard let lo = values.min(), let hi = values.max() else { return "" }
        if hi == lo { return String(repeating: blocks[3], count: values.count) }
        let span = Double(hi - lo)
        return String(values.map { v in
            blocks[min(7, Int(Double(v - lo) / span * 7.999))]
        })
    }
}
