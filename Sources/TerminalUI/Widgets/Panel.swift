/// A bordered pane with its title in the top border, k9s style: `┌──── Hosts(3) ────┐`.
/// Draw the border with `render`, then the content into `contentArea(of:)`.
public struct Panel: Widget, Sendable {
    public var title: String
    /// Extra text at the right end of the top border (e.g. a filter or a count).
    public var trailingTitle: String?
    public var focused: Bool
    public var box: BoxStyle
    public var titleAlignment: HorizontalAlignment

    public init(title: String, trailingTitle: String? = nil, focused: Bool = true, box: BoxStyle = .single,
                titleAlignment: HorizontalAlignment = .center) {
        self.title = title
        self.trailingTitle = trailingTitle
        self.focused = focused
        self.box = box
        self.titleAlignment = titleAlignment
    }

    public func contentArea(of area: Rect) -> Rect { area.inset(by: 1) }

    public func render(in area: Rect, on canvas: inout Canvas, theme: Theme) {
        guard area.width >= 2, area.height >= 2 else { return }
        let borderStyle = focused ? theme[.focusedBorder] : theme[.border]
        canvas.fill(contentArea(of: area), style: theme[.normal])
        canvas.border(area, style: borderStyle, box: box)
        var titleRoom = area.width - 4
        if let trailingTitle, !trailingTitle.isEmpty, titleRoom > 8 {
            let text = " " + trailingTitle + " "
            let width = min(DisplayWidth.of(text), titleRoom / 2)
            canvas.text(text, at: Point(x: area.maxX - 2 - width, y: area.y), maxWidth: width, style: theme[.dim])
            titleRoom -= width + 1
        }
        guard !title.isEmpty, titleRoom > 2 else { return }
        let text = " " + title + " "
        let width = min(DisplayWidth.of(text), titleRoom)
        let x: Int
        switch titleAlignment {
        case .left: x = area.x + 2
        case .center: x = area.x + (area.width - width) / 2
        case .right: x = area.x + 2 + titleRoom - width
        }
        canvas.text(text, at: Point(x: x, y: area.y), maxWidth: width, style: theme[.title])
    }
}
