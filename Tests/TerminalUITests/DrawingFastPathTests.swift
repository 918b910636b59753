import Testing
@testable import TerminalUI

/// The shortcuts a frame takes: text of scalars that stand alone is walked a scalar at a time,
/// and a fill of one-cell graphemes overwrites its area at once. Each must draw what the general
/// way draws.
@Suite struct DrawingFastPathTests {
    /// Every scalar `GraphemeScanner.standsAlone` accepts (ASCII controls and all).
    static let standalone: [Unicode.Scalar] = (UInt32(0)..<0x2C00).compactMap { v in
        Unicode.Scalar(v).flatMap { GraphemeScanner.standsAlone($0) ? $0 : nil }
    }

    static func graphemes(_ text: String, general: Bool) -> [String] {
        var out: [String] = []
        let body: (Grapheme) -> Bool = { grapheme in
            out.append("\(grapheme.width):\(String(grapheme.character))")
            return true
        }
        if general { GraphemeScanner.forEachCharacter(in: text, body) } else { GraphemeScanner.forEach(in: text, body) }
        return out
    }

    @Test func scalarsThatStandAloneAreAGraphemeEachNextToAnyOfThem() {
        // Neighbours of every kind in the set: letters, controls (CR LF joins), pictographs that
        // take emoji selectors, box drawing, symbols with emoji presentation.
        let neighbours: [Unicode.Scalar] = ["a", "\r", "\n", "\u{1B}", "é", "©", "‼", "™", "↔", "⌚", "│", "●", "☀", "✔", "⭐", "\u{AD}", "…"]
        var joined: [String] = []
        for scalar in Self.standalone {
            for other in neighbours {
                for pair in [[scalar, other], [other, scalar]] {
                    var text = String.UnicodeScalarView()
                    text.append(contentsOf: pair)
                    let string = String(text)
                    // CR LF is one cluster; the scanner makes two placeholders of it either way.
                    if string.count != 2 && string != "\r\n" { joined.append(string.unicodeScalars.map { String($0.value, radix: 16) }.joined(separator: " ")) }
                }
            }
        }
        #expect(joined.isEmpty, "joined into one grapheme: \(joined.prefix(10))")
    }

    @Test func theScalarWalkDrawsWhatTheClusterWalkDraws() {
        var generator = SystemRandomNumberGenerator()
        let set = Self.standalone
        for _ in 0..<3_000 {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 1...12, using: &generator) { text.append(set.randomElement(using: &generator)!) }
            let string = String(text)
            #expect(Self.graphemes(string, general: false) == Self.graphemes(string, general: true), "\(string.unicodeScalars.map { $0.value })")
        }
        // Text with a scalar outside the set still goes by clusters.
        for string in ["e\u{301}●", "✔\u{FE0F} ok", "👍🏽│", "🇩🇪 …", "●\u{20DD}"] {
            #expect(Self.graphemes(string, general: false) == Self.graphemes(string, general: true))
        }
    }

    /// What a fill of `cell` over `area` must leave: the area's cells are `cell`; a wide grapheme
    /// cut by the area's left or right edge has its outside half blanked in its own style; every
    /// other cell is as before.
    static func expectedFill(_ before: Canvas, _ area: Rect, _ cell: Cell) -> [Cell] {
        var cells = before.cells
        let width = before.size.width
        for y in area.minY..<area.maxY {
            let row = y * width
            if area.minX > 0, before.cells[row + area.minX].isContinuation {
                cells[row + area.minX - 1] = .blank(before.cells[row + area.minX - 1].style)
            }
            if area.maxX < width, before.cells[row + area.maxX - 1].width == 2 {
                cells[row + area.maxX] = .blank(before.cells[row + area.maxX].style)
            }
            for x in area.minX..<area.maxX { cells[row + x] = cell }
        }
        return cells
    }

    @Test func aFillOverwritesItsAreaAndBlanksTheCutHalves() {
        var generator = SystemRandomNumberGenerator()
        let styles = [Style.plain, Style(foreground: .red), Style(background: .blue, attributes: .bold)]
        let words = ["漢字", "ab", "é\u{301}", "👍", "x漢", "│●…"]
        for _ in 0..<2_000 {
            var canvas = Canvas(width: 9, height: 3, style: styles.randomElement(using: &generator)!)
            for _ in 0..<6 {
                canvas.put(words.randomElement(using: &generator)!, at: Point(x: Int.random(in: 0..<9, using: &generator), y: Int.random(in: 0..<3, using: &generator)),
                           style: styles.randomElement(using: &generator)!)
            }
            let x = Int.random(in: -2..<9, using: &generator), y = Int.random(in: -1..<3, using: &generator)
            let rect = Rect(x: x, y: y, width: Int.random(in: 0...11, using: &generator), height: Int.random(in: 0...4, using: &generator))
            let character: Character = ["x", " ", "─", "é"].randomElement(using: &generator)!
            let style = styles.randomElement(using: &generator)!
            var cell = Cell.blank(style)
            cell.content = .scalar(character.unicodeScalars.first!)
            let area = rect.intersection(canvas.bounds)
            let expected = area.isEmpty ? canvas.cells : Self.expectedFill(canvas, area, cell)
            canvas.fill(rect, with: character, style: style)
            #expect(canvas.cells == expected, "fill \(rect) with \(character)")
        }
    }

    @Test func aNewCanvasIsBlankInItsStyle() {
        let style = Style(foreground: .green, background: .black, attributes: .underline)
        let canvas = Canvas(width: 7, height: 5, style: style)
        #expect(canvas.cells.count == 35)
        #expect(canvas.cells.allSatisfy { $0 == .blank(style) })
        #expect(Canvas(width: 0, height: 3).cells.isEmpty)
    }

    /// A cell is plain data (filled, copied and compared as bytes), and says what it was given.
    @Test func aCellIsPlainDataThatKeepsItsGrapheme() {
        #expect(_isPOD(Cell.self))
        #expect(MemoryLayout<Cell>.stride <= 16)
        let clusters: [Character] = ["e\u{301}", "👨‍👩‍👧", "🇩🇪", "✔\u{FE0F}", "a\u{302}\u{323}"]
        for character in clusters {
            let cell = Cell(content: .cluster(character), width: 1, style: .plain)
            #expect(cell.content == .cluster(character))
            #expect(cell.grapheme == String(character))
            #expect(cell == Cell(content: .cluster(character), width: 1, style: .plain))
        }
        #expect(Cell(content: .cluster("e\u{301}"), width: 1, style: .plain) != Cell(content: .cluster("o\u{301}"), width: 1, style: .plain))
        #expect(Cell(content: .scalar("é"), width: 1, style: .plain).content == .scalar("é"))
        #expect(Cell(content: .continuation, width: 0, style: .plain).isContinuation)
        #expect(!Cell(content: .scalar("\u{10FFFF}"), width: 1, style: .plain).isContinuation)
        var canvas = Canvas(width: 12, height: 1)
        canvas.put("a\u{301}👨‍👩‍👧🇩🇪x", at: .zero)
        #expect(canvas.lines() == ["a\u{301}👨‍👩‍👧🇩🇪x"])
    }

    /// Text from the lattice is not trusted: the table of clusters stops numbering at its
    /// capacity (a cell then shows U+FFFD), and keeps the numbers it gave.
    @Test func theClusterTableIsBounded() {
        var table = ClusterTable(capacity: 2)
        let a = table.number(of: "e\u{301}"), b = table.number(of: "🇩🇪")
        #expect(a == 0 && b == 1)
        #expect(table.number(of: "o\u{301}") == nil)
        #expect(table.number(of: "e\u{301}") == 0)
        #expect(table.character(1) == "🇩🇪")
    }
}
