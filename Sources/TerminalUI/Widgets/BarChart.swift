/// Horizontal bars scaled to the largest value, with the label and the value beside each.
public enum BarChart {
    public static func lines(_ items: [(label: String, value: Int64, shown: String)], width: Int,
                             labelWidth: Int = 10) -> [String] {
        let maxValue = max(1, items.map(\.value).max() ?? 1)
        // Room for the longest value text, so it is never cut.
        let shownWidth = items.map { DisplayWidth.of($0.shown) }.max() ?? 0
        let barWidth = max(1, width - labelWidth - shownWidth - 2)
        return items.map { item in
            let n = Int((Double(item.value) / Double(maxValue) * Double(barWidth)).rounded())
            let bar = String(repeating: "█", count: max(item.value > 0 ? 1 : 0, n))
            return DisplayWidth.pad(item.label, to: labelWidth) + " " + DisplayWidth.pad(bar, to: barWidth) + " " + item.shown
        }
    }
}
