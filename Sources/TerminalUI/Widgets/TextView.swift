/// Scrollable lines of text (logs, YAML, a spied message), optionally wrapped at the area's width.
public struct TextView: Widget, Sendable {
    public var lines: [String]
    /// The first line shown (a source line, also when wrapping).
    public var offset: Int
    /// Cells skipped at the left of each line when not wrapping (horizontal scroll).
    public var horizontalOffset: Int
    public var wraps: Bool
    public var role: ThemeRole

    public init(lines: [String], offset: Int = 0, horizontalOffset: Int = 0, wraps: Bool = false,
                role: ThemeRole = .normal) {
        self.lines = lines
        self.offset = offset
        self.horizontalOffset = horizontalOffset
        self.wraps = wraps
        self.role = role
    }

    /// The largest useful offset for a view `height` rows high (without wrapping).
    public func maxOffset(height: Int) -> Int { max(0, lines.count - height) }

    public func render(in area: Rect, on canvas: inout Canvas, theme: Theme) {
        guard !area.isEmpty else { return }
        let style = theme[role]
        canvas.fill(area, style: style)
        var y = area.y
        var index = min(max(0, offset), lines.count)
        while y < area.maxY && index < lines.count {
            let line = DisplayWidth.expandTabs(lines[index])
            if wraps {
                for piece in DisplayWidth.wrap(line, width: area.width) where y < area.maxY {
                    canvas.put(piece, at: Point(x: area.x, y: y), style: style, clip: area)
                    y += 1
                }
            } else {
                canvas.put(line, at: Point(x: area.x - horizontalOffset, y: y), style: style, clip: area.row(y - area.y))
                y += 1
            }
            index += 1
        }
    }
}
