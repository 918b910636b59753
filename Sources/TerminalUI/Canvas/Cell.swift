/// One terminal cell: its (already sanitised) grapheme, how many columns the grapheme covers, and its style.
public struct Cell: Hashable, Sendable {
    public internal(set) var content: CellContent
    /// 1, 2 for the left half of a wide grapheme, 0 for its continuation.
    public internal(set) var width: UInt8
    public var style: Style

    init(content: CellContent, width: UInt8, style: Style) {
        self.content = content
        self.width = width
        self.style = style
    }

    /// A space in `style`.
    public static func blank(_ style: Style = .plain) -> Cell {
        Cell(content: .scalar(" "), width: 1, style: style)
    }

    public var isContinuation: Bool { content == .continuation }

    /// The grapheme; a continuation cell reads as empty.
    public var grapheme: String {
        switch content {
        case .scalar(let scalar): String(Character(scalar))
        case .cluster(let character): String(character)
        case .continuation: ""
        }
    }

    /// Appends a combining grapheme (width 0) to this cell's grapheme.
    mutating func attach(_ mark: Grapheme) {
        var text: String
        switch content {
        case .scalar(let scalar): text = String(Character(scalar))
        case .cluster(let character): text = String(character)
        case .continuation: return
        }
        guard text.unicodeScalars.count < GraphemeScanner.maxScalars else { return }
        text.append(mark.character)
        if let first = text.first, text.count == 1 {
            content = .cluster(first)
        }
    }
}
