/// A line of key hints, k9s style: `<q> Quit  <ctrl-d> Delete`. Hints that do not fit are left out
/// whole (never cut in half), and `…` shows that some are missing.
public struct HintBar: Widget, Sendable {
    public struct Item: Hashable, Sendable {
        public var key: String
        public var label: String

        public init(key: String, label: String) {
            self.key = key
            self.label = label
        }

        public init(_ key: Key, _ label: String) {
            self.init(key: key.description, label: label)
        }

        var width: Int { DisplayWidth.of(key) + 2 + 1 + DisplayWidth.of(label) }
    }

    public var items: [Item]
    public var separatorWidth: Int

    public init(items: [Item], separatorWidth: Int = 2) {
        self.items = items
        self.separatorWidth = separatorWidth
    }

    /// The items that fit in `width` cells.
    public func fittingItems(width: Int) -> [Item] {
        var used = 0
        var fitting: [Item] = []
        for (index, item) in items.enumerated() {
            let needed = (fitting.isEmpty ? 0 : separatorWidth) + item.width
            let isLast = index == items.count - 1
            let reserve = isLast ? 0 : separatorWidth + 1   // room for "…"
            if used + needed + reserve > width && !(isLast && used + needed <= width) { break }
            used += needed
            fitting.append(item)
        }
        return fitting
    }

    public func render(in area: Rect, on canvas: inout Canvas, theme: Theme) {
        guard !area.isEmpty else { return }
        let row = area.row(0)
        canvas.fill(row, style: theme[.normal])
        let fitting = fittingItems(width: area.width)
        var x = area.x
        for (index, item) in fitting.enumerated() {
            if index > 0 { x += separatorWidth }
            x = canvas.put("<" + item.key + ">", at: Point(x: x, y: row.y), style: theme[.hintKey], clip: row)
            x += 1
            x = canvas.put(item.label, at: Point(x: x, y: row.y), style: theme[.hintLabel], clip: row)
        }
        if fitting.count < items.count {
            canvas.put("…", at: Point(x: x + (fitting.isEmpty ? 0 : separatorWidth), y: row.y),
                       style: theme[.hintLabel], clip: row)
        }
    }
}
