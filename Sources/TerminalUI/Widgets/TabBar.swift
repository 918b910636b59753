/// A row of tabs, the selected one highlighted: ` Hosts(3)  Components(12)  Providers `.
/// When they do not all fit, the row scrolls so the selected tab shows, with `‹` / `›` marking
/// hidden tabs; each tab is cut with `…` if it is wider than the row.
public struct TabBar: Widget, Sendable {
    public var tabs: [String]
    public var selected: Int

    public init(tabs: [String], selected: Int) {
        self.tabs = tabs
        self.selected = selected
    }

    public func render(in area: Rect, on canvas: inout Canvas, theme: Theme) {
        guard !area.isEmpty, !tabs.isEmpty else { return }
        let row = area.row(0)
        canvas.fill(row, style: theme[.normal])
        let selected = min(max(0, self.selected), tabs.count - 1)
        let widths = tabs.map { DisplayWidth.of($0) + 2 }
        let total = widths.reduce(0, +) + tabs.count - 1
        var first = 0
        if total > row.width {
            // Scroll: drop tabs from the left until the selected one (and the markers) fit.
            var used = widths[first...selected].reduce(0, +) + (selected - first) + 2
            while first < selected && used > row.width {
                used -= widths[first] + 1
                first += 1
            }
        }
        var x = row.x
        if first > 0 {
            canvas.put("‹", at: Point(x: x, y: row.y), style: theme[.tabInactive], clip: row)
            x += 1
        }
        for index in first..<tabs.count {
            let remaining = row.maxX - x
            if remaining <= 0 { break }
            let hidden = index < tabs.count - 1
            if widths[index] > remaining - (hidden ? 1 : 0) && index != selected && x > row.x + 1 {
                canvas.put("›", at: Point(x: row.maxX - 1, y: row.y), style: theme[.tabInactive], clip: row)
                break
            }
            let style = index == selected ? theme[.tabActive] : theme[.tabInactive]
            let width = min(widths[index], remaining)
            canvas.fill(Rect(x: x, y: row.y, width: width, height: 1), style: style)
            canvas.text(tabs[index], at: Point(x: x + 1, y: row.y), maxWidth: max(0, width - 2), style: style)
            x += width + 1
        }
    }
}
