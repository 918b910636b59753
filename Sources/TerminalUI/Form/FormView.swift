/// Draws a `FormState` as a centred box over `area`: notes, then each field with its label and
/// value (the focused one highlighted, with a cursor), and under it the field's error, or its
/// help / matching suggestions; the form's message and the keys at the bottom. Pure drawing.
public struct FormView: Widget, Sendable {
    public var form: FormState
    public var maxWidth: Int

    public init(_ form: FormState, maxWidth: Int = 96) {
        self.form = form
        self.maxWidth = maxWidth
    }

    static let keysLine = "tab/↓ next · shift-tab/↑ previous · → complete · enter submit · esc cancel"

    var labelWidth: Int { min(24, (form.fields.map { DisplayWidth.of($0.label) }.max() ?? 0) + 1) }

    /// Where the box goes inside `area`.
    public func frame(in area: Rect) -> Rect {
        let messageLines = messageLines(width: maxWidth - 6)
        let height = 2 + form.notes.count + (form.notes.isEmpty ? 0 : 1) + form.fields.count * 2 + 1 + messageLines.count + 1
        let width = min(maxWidth, area.width - 2)
        return area.centered(Size(width: max(20, width), height: min(height, area.height)))
    }

    private func messageLines(width: Int) -> [String] {
        var lines: [String] = []
        if let busy = form.busy { lines.append(busy) }
        if let message = form.message { lines += DisplayWidth.wrap(message, width: max(10, width)) }
        return lines
    }

    public func render(in area: Rect, on canvas: inout Canvas, theme: Theme) {
        let box = frame(in: area)
        guard box.width >= 10, box.height >= 4 else { return }
        let style = theme[.dialog]
        canvas.fill(box, style: style)
        canvas.border(box, style: theme[.focusedBorder].with(background: style.background), box: .rounded)
        let title = " " + form.title + " "
        let titleWidth = min(DisplayWidth.of(title), box.width - 4)
        canvas.text(title, at: Point(x: box.x + (box.width - titleWidth) / 2, y: box.y), maxWidth: titleWidth,
                    style: theme[.title].with(background: style.background))
        let inner = box.inset(top: 1, left: 2, bottom: 1, right: 2)
        var y = inner.y
        func line(_ text: String, _ lineStyle: Style, x: Int = inner.x, width: Int = inner.width) {
            guard y < inner.maxY else { return }
            canvas.text(text, at: Point(x: x, y: y), maxWidth: width, style: lineStyle)
        }
        let dim = theme[.dim].with(background: style.background)
        for note in form.notes { line(note, dim); y += 1 }
        if !form.notes.isEmpty { y += 1 }
        let valueX = inner.x + labelWidth + 1
        let valueWidth = max(1, inner.maxX - valueX)
        for (i, field) in form.fields.enumerated() {
            let focused = i == form.focus
            line(field.label, focused ? theme[.title].with(background: style.background) : style, width: labelWidth)
            let valueStyle = focused ? theme[.selectedRow] : style
            if y < inner.maxY { canvas.fill(Rect(x: valueX, y: y, width: valueWidth, height: 1), style: valueStyle) }
            switch field.kind {
            case .text:
                if field.text.isEmpty && !focused {
                    line(field.placeholder, dim, x: valueX, width: valueWidth)
                } else {
                    // Keep the end (where the cursor is) visible.
                    var shown = field.text + (focused ? "▏" : "")
                    while DisplayWidth.of(shown) > valueWidth, !shown.isEmpty { shown.removeFirst() }
                    line(shown, valueStyle, x: valueX, width: valueWidth)
                }
            case .choice(let options):
                let text = options.isEmpty ? "(no options)" : "‹ \(field.value) ›  \(field.selected + 1)/\(options.count)"
                line(text, valueStyle, x: valueX, width: valueWidth)
            }
            y += 1
            if let error = field.error {
                line("✖ " + error, theme[.unhealthy].with(background: style.background), x: valueX, width: valueWidth)
            } else if focused, !field.matchingSuggestions.isEmpty {
                line("→ " + field.matchingSuggestions.prefix(6).joined(separator: "  "), dim, x: valueX, width: valueWidth)
            } else if !field.help.isEmpty {
                line(field.help, dim, x: valueX, width: valueWidth)
            }
            y += 1
        }
        for text in messageLines(width: inner.width) {
            let role: ThemeRole = form.busy == text ? .warning : (form.messageIsError ? .unhealthy : .healthy)
            line(text, theme[role].with(background: style.background))
            y += 1
        }
        y = max(y, inner.maxY - 1)
        line(form.busy == nil ? Self.keysLine : "waiting … · esc closes (the request still completes)", dim)
    }
}
