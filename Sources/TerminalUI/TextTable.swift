/// A plain-text table for the CLI: columns sized to their widest cell in display columns, so
/// Chinese names line up with the digits beside them.
public struct TextTable {
    public struct Column {
        public var title: String
        public var alignRight: Bool
        public var maxWidth: Int
        public init(_ title: String, alignRight: Bool = false, maxWidth: Int = 40) {
            self.title = title; self.alignRight = alignRight; self.maxWidth = maxWidth
        }
    }

    public var columns: [Column]
    public var rows: [[String]] = []

    public init(columns: [Column]) { self.columns = columns }

    public mutating func append(_ row: [String]) { rows.append(row.map(DisplayWidth.sanitized)) }

    public func render() -> String {
        let widths = columns.indices.map { i in
            min(columns[i].maxWidth, ([columns[i].title] + rows.map { i < $0.count ? $0[i] : "" })
                .map { DisplayWidth.of($0) }.max() ?? 0)
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for i in columns.indices {
                parts.append(DisplayWidth.pad(i < cells.count ? cells[i] : "", to: widths[i],
                                              alignRight: columns[i].alignRight))
            }
            var s = parts.joined(separator: "  ")
            while s.hasSuffix(" ") { s.removeLast() }
            return s
        }
        var out = [line(columns.map(\.title))]
        out.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
        out += rows.map(line)
        return out.joined(separator: "\n")
    }
}
