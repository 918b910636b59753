/// A one-line status message (k9s' "flash"): information or an error, cut with `…` to fit.
public struct FlashLine: Widget, Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case info
        case error
    }

    public var message: String
    public var kind: Kind

    public init(_ message: String, kind: Kind = .info) {
        self.message = message
        self.kind = kind
    }

    public func render(in area: Rect, on canvas: inout Canvas, theme: Theme) {
        guard !area.isEmpty else { return }
        let row = area.row(0)
        let style = theme[kind == .error ? .flashError : .flashInfo]
        canvas.fill(row, style: theme[.normal])
        let text = " " + message.split(whereSeparator: \.isNewline).joined(separator: " ") + " "
        canvas.text(text, at: row.origin, maxWidth: row.width, style: style)
    }
}
