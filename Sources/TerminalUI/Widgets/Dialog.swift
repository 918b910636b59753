/// A centred box with a title, message lines and a row of buttons (one focused), e.g. a confirmation.
public struct Dialog: Widget, Sendable {
    public var title: String
    public var message: [String]
    public var buttons: [String]
    public var focusedButton: Int
    /// Widest the box grows, in cells (it is also kept 2 cells inside the area).
    public var maxWidth: Int

    public init(title: String, message: [String], buttons: [String] = ["OK"], focusedButton: Int = 0,
                maxWidth: Int = 70) {
        self.title = title
        self.message = message
        self.buttons = buttons
        self.focusedButton = focusedButton
        self.maxWidth = maxWidth
    }

    /// Where the dialog is drawn inside `area`.
    public func frame(in area: Rect) -> Rect {
        let buttonsWidth = buttonLabels.map(DisplayWidth.of).reduce(0, +) + 2 * max(0, buttons.count - 1)
        let contentWidth = max(DisplayWidth.of(title) + 2, buttonsWidth,
                               message.map { DisplayWidth.of(DisplayWidth.expandTabs($0)) }.max() ?? 0)
        let width = min(max(contentWidth + 6, 24), maxWidth, area.width - 2)
        let lines = wrappedMessage(width: width - 6)
        let height = min(lines.count + 4 + (buttons.isEmpty ? 0 : 1), area.height)
        return area.centered(Size(width: width, height: height))
    }

    public func render(in area: Rect, on canvas: inout Canvas, theme: Theme) {
        let box = frame(in: area)
        guard box.width >= 6, box.height >= 3 else { return }
        let style = theme[.dialog]
        canvas.fill(box, style: style)
        canvas.border(box, style: theme[.focusedBorder].with(background: style.background), box: .rounded)
        renderTitle(in: box, on: &canvas, theme: theme)
        let inner = box.inset(top: 2, left: 3, bottom: 1, right: 3)
        let buttonRows = buttons.isEmpty ? 0 : 2
        let lines = wrappedMessage(width: inner.width)
        for (index, line) in lines.prefix(max(0, inner.height - buttonRows)).enumerated() {
            canvas.text(line, at: Point(x: inner.x, y: inner.y + index), maxWidth: inner.width, style: style)
        }
        guard !buttons.isEmpty else { return }
        let labels = buttonLabels
        let total = labels.map(DisplayWidth.of).reduce(0, +) + 2 * (labels.count - 1)
        var x = inner.x + max(0, (inner.width - total) / 2)
        let y = box.maxY - 2
        for (index, label) in labels.enumerated() {
            let buttonStyle = index == focusedButton ? theme[.focusedButton] : theme[.button]
            x = canvas.put(label, at: Point(x: x, y: y), style: buttonStyle, clip: inner.intersection(box.row(box.height - 2)))
            x += 2
        }
    }

    private var buttonLabels: [String] { buttons.map { "[ " + $0 + " ]" } }

    private func wrappedMessage(width: Int) -> [String] {
        message.flatMap { DisplayWidth.wrap($0, width: max(1, width)) }
    }

    private func renderTitle(in box: Rect, on canvas: inout Canvas, theme: Theme) {
        guard !title.isEmpty, box.width > 6 else { return }
        let text = " " + title + " "
        let width = min(DisplayWidth.of(text), box.width - 4)
        canvas.text(text, at: Point(x: box.x + (box.width - width) / 2, y: box.y), maxWidth: width,
                    style: theme[.title].with(background: theme[.dialog].background))
    }
}
