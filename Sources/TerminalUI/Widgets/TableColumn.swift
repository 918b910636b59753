public struct TableColumn: Hashable, Sendable {
    public var title: String
    public var width: ColumnWidth
    public var alignment: HorizontalAlignment

    public init(_ title: String, width: ColumnWidth = .flex(), alignment: HorizontalAlignment = .left) {
        self.title = title
        self.width = width
        self.alignment = alignment
    }

    /// Column widths for `totalWidth` cells with `spacing` cells between columns. Fixed widths and
    /// minimums are served first, left to right, while room lasts (columns that get no room are 0
    /// wide); the rest is shared among flex columns by weight, the remainder going to the last one.
    public static func layout(_ columns: [TableColumn], totalWidth: Int, spacing: Int = 1) -> [Int] {
        guard !columns.isEmpty else { return [] }
        var remaining = max(0, totalWidth - spacing * (columns.count - 1))
        var widths = [Int](repeating: 0, count: columns.count)
        for (index, column) in columns.enumerated() {
            let wanted: Int
            switch column.width {
            case .fixed(let cells): wanted = Swift.max(0, cells)
            case .flex(_, let minimum): wanted = Swift.max(0, minimum)
            }
            widths[index] = Swift.min(wanted, remaining)
            remaining -= widths[index]
        }
        let flexIndices = columns.indices.filter {
            if case .flex(let weight, _) = columns[$0].width { return weight > 0 }
            return false
        }
        guard remaining > 0, !flexIndices.isEmpty else { return widths }
        let totalWeight = flexIndices.reduce(0) { sum, index in
            if case .flex(let weight, _) = columns[index].width { return sum + weight }
            return sum
        }
        var shared = 0
        for index in flexIndices {
            guard case .flex(let weight, _) = columns[index].width else { continue }
            let share = remaining * weight / totalWeight
            widths[index] += share
            shared += share
        }
        widths[flexIndices.last!] += remaining - shared
        return widths
    }
}
