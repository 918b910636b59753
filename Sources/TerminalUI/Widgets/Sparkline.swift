/// A one-row chart of the latest values: `▁▂▃▅▇█`. The newest value is at the right; values
/// are scaled to `maximum` (or the largest shown); zero and negative values are blank.
public struct Sparkline: Widget, Sendable {
    public static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    public var values: [Double]
    public var maximum: Double?
    public var role: ThemeRole

    public init(values: [Double], maximum: Double? = nil, role: ThemeRole = .sparkline) {
        self.values = values
        self.maximum = maximum
        self.role = role
    }

    /// The chart as text, `width` cells at most (fewer when there are fewer values).
    public static func string(_ values: [Double], width: Int, maximum: Double? = nil) -> String {
        guard width > 0 else { return "" }
        let shown = values.suffix(width)
        let top = maximum ?? shown.max() ?? 0
        return String(shown.map { value -> Character in
            guard value.isFinite, value > 0, top > 0 else { return " " }
            let level = Int((min(value, top) / top * Double(levels.count)).rounded(.up))
            return levels[min(max(level, 1), levels.count) - 1]
        })
    }

    public func render(in area: Rect, on canvas: inout Canvas, theme: Theme) {
        guard !area.isEmpty else { return }
        let text = Self.string(values, width: area.width, maximum: maximum)
        let row = area.row(0)
        canvas.fill(row, style: theme[.normal])
        canvas.put(text, at: Point(x: row.maxX - text.count, y: row.y), style: theme[role], clip: row)
    }
}
