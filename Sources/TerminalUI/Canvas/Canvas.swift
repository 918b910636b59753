/// A grid of cells that views draw into; a backend copies it to the terminal.
///
/// Everything written goes through `TextSanitizer` and `DisplayWidth`: a wide grapheme takes its cell
/// plus a continuation cell, a combining mark with no base joins the cell before it, and no control
/// character or escape sequence can reach a cell. Overwriting half of a wide grapheme blanks the other half.
public struct Canvas: Hashable, Sendable {
    public private(set) var size: Size
    @usableFromInline var cells: [Cell]

    public init(size: Size, style: Style = .plain) {
        self.size = size
        self.cells = Array(repeating: .blank(style), count: size.area)
    }

    public init(width: Int, height: Int, style: Style = .plain) {
        self.init(size: Size(width: width, height: height), style: style)
    }

    public var bounds: Rect { Rect(size: size) }

    public subscript(x: Int, y: Int) -> Cell {
        precondition(x >= 0 && x < size.width && y >= 0 && y < size.height, "cell (\(x), \(y)) outside \(size)")
        return cells[y * size.width + x]
    }

    public func cell(at point: Point) -> Cell? {
        guard bounds.contains(point) else { return nil }
        return cells[point.y * size.width + point.x]
    }

    /// The cells of row `y`.
    public func row(_ y: Int) -> ArraySlice<Cell> {
        cells[(y * size.width)..<((y + 1) * size.width)]
    }

    // MARK: Clearing and resizing

    public mutating func clear(style: Style = .plain) {
        let blank = Cell.blank(style)
        for index in cells.indices { cells[index] = blank }
    }

    /// A new size; the kept area keeps its cells (a wide grapheme cut by the new edge is blanked).
    public mutating func resize(to newSize: Size, style: Style = .plain) {
        guard newSize != size else { return }
        var resized = Canvas(size: newSize, style: style)
        for y in 0..<min(size.height, newSize.height) {
            for x in 0..<min(size.width, newSize.width) {
                resized.cells[y * newSize.width + x] = cells[y * size.width + x]
            }
            if newSize.width < size.width, newSize.width > 0,
               resized.cells[y * newSize.width + newSize.width - 1].width == 2 {
                resized.cells[y * newSize.width + newSize.width - 1] = .blank(style)
            }
        }
        self = resized
    }

    // MARK: Text

    /// Draws `text` from `point` rightwards in one row, clipped to `clip` (default: the whole canvas).
    /// A wide grapheme that does not fit before the clip edge is drawn as a space.
    /// Returns the column after the last cell drawn (or where drawing stopped).
    @discardableResult
    public mutating func put(_ text: String, at point: Point, style: Style = .plain, clip: Rect? = nil) -> Int {
        let area = clip.map { $0.intersection(bounds) } ?? bounds
        guard point.y >= area.minY, point.y < area.maxY else { return point.x }
        var x = point.x
        var lastCell: Int? = nil
        let rowStart = point.y * size.width
        if TextSanitizer.isPlainASCII(text) {
            for byte in text.utf8 {
                if x >= area.maxX { break }
                if x >= area.minX {
                    write(Cell(content: .scalar(Unicode.Scalar(byte)), width: 1, style: style), at: rowStart + x, x: x)
                }
                x += 1
            }
            return x
        }
        GraphemeScanner.forEach(in: text) { grapheme in
            if grapheme.width == 0 {
                if let index = lastCell { cells[index].attach(grapheme) }
                return true
            }
            if x >= area.maxX { return false }
            if x < area.minX {
                x += grapheme.width
                lastCell = nil
                if x > area.minX {   // the right half of a wide grapheme peeks into the clip
                    write(.blank(style), at: rowStart + area.minX, x: area.minX)
                }
                return true
            }
            if grapheme.width == 2 {
                if x + 1 >= area.maxX {
                    write(.blank(style), at: rowStart + x, x: x)
                    x += 1
                    return false
                }
                write(Cell(content: grapheme.content, width: 2, style: style), at: rowStart + x, x: x)
                write(Cell(content: .continuation, width: 0, style: style), at: rowStart + x + 1, x: x + 1)
            } else {
                write(Cell(content: grapheme.content, width: 1, style: style), at: rowStart + x, x: x)
            }
            lastCell = rowStart + x
            x += grapheme.width
            return true
        }
        return x
    }

    /// Draws `text` in at most `maxWidth` cells from `point`; when it is wider it is cut by display
    /// width and ends in `…`. With an alignment other than `.left` the text is placed in the
    /// `maxWidth` cells accordingly. Returns the number of cells drawn.
    @discardableResult
    public mutating func text(_ text: String, at point: Point, maxWidth: Int, style: Style = .plain,
                              alignment: HorizontalAlignment = .left) -> Int {
        guard maxWidth > 0 else { return 0 }
        let clip = Rect(x: point.x, y: point.y, width: maxWidth, height: 1)
        let width = DisplayWidth.of(text)
        if width <= maxWidth {
            let offset: Int
            switch alignment {
            case .left: offset = 0
            case .center: offset = (maxWidth - width) / 2
            case .right: offset = maxWidth - width
            }
            let end = put(text, at: Point(x: point.x + offset, y: point.y), style: style, clip: clip)
            return end - point.x - offset
        }
        let budget = maxWidth - 1
        var used = 0
        var prefixEnd = text.startIndex
        if TextSanitizer.isPlainASCII(text) {
            prefixEnd = text.utf8.index(text.startIndex, offsetBy: budget)
            used = budget
        } else {
            var index = text.startIndex
            while index < text.endIndex {
                let character = text[index]
                var characterWidth = 0
                _ = GraphemeScanner.forEach(in: character) { characterWidth += $0.width; return true }
                if used + characterWidth > budget { break }
                used += characterWidth
                index = text.index(after: index)
            }
            prefixEnd = index
        }
        var x = put(String(text[..<prefixEnd]), at: point, style: style, clip: clip)
        if x < point.x + used { x = point.x + used }
        x = put("…", at: Point(x: x, y: point.y), style: style, clip: clip)
        return x - point.x
    }

    // MARK: Areas and lines

    /// Fills `rect` (clipped to the canvas) with `character` in `style`.
    public mutating func fill(_ rect: Rect, with character: Character = " ", style: Style = .plain) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        var cell = Cell.blank(style)
        var graphemeWidth = 1
        if character != " " {
            var first: Grapheme?
            _ = GraphemeScanner.forEach(in: character) { first = $0; return false }
            guard let grapheme = first else { return }
            cell.content = grapheme.content
            graphemeWidth = max(1, grapheme.width)
            cell.width = UInt8(graphemeWidth)
        }
        if graphemeWidth == 1 {
            fillNarrow(area, with: cell)
            return
        }
        for y in area.minY..<area.maxY {
            let rowStart = y * size.width
            var x = area.minX
            while x < area.maxX {
                if graphemeWidth == 2 {
                    if x + 1 >= area.maxX {
                        write(.blank(style), at: rowStart + x, x: x)
                        break
                    }
                    write(cell, at: rowStart + x, x: x)
                    write(Cell(content: .continuation, width: 0, style: style), at: rowStart + x + 1, x: x + 1)
                    x += 2
                } else {
                    write(cell, at: rowStart + x, x: x)
                    x += 1
                }
            }
        }
    }

    /// `fill` with a one-cell grapheme, `area` inside the canvas: every cell of the area is
    /// overwritten, so only a wide grapheme cut by the area's left or right edge can lose a half
    /// outside it (blanked, as `write` does).
    private mutating func fillNarrow(_ area: Rect, with cell: Cell) {
        let width = size.width
        cells.withUnsafeMutableBufferPointer { cells in
            for y in area.minY..<area.maxY {
                let first = y * width + area.minX, last = y * width + area.maxX - 1
                if area.minX > 0, cells[first].isContinuation {
                    cells[first - 1] = .blank(cells[first - 1].style)
                }
                if area.maxX < width, cells[last].width == 2 {
                    cells[last + 1] = .blank(cells[last + 1].style)
                }
                UnsafeMutableBufferPointer(rebasing: cells[first...last]).update(repeating: cell)
            }
        }
    }

    /// Sets the style of every cell in `rect`, keeping the characters (e.g. to highlight a row).
    public mutating func setStyle(_ style: Style, in rect: Rect) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        for y in area.minY..<area.maxY {
            for x in area.minX..<area.maxX { cells[y * size.width + x].style = style }
        }
    }

    /// Changes the style of every cell in `rect` with `transform`.
    public mutating func restyle(_ rect: Rect, _ transform: (Style) -> Style) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        for y in area.minY..<area.maxY {
            for x in area.minX..<area.maxX {
                let index = y * size.width + x
                cells[index].style = transform(cells[index].style)
            }
        }
    }

    public mutating func horizontalLine(at point: Point, length: Int, style: Style = .plain, box: BoxStyle = .single) {
        fill(Rect(x: point.x, y: point.y, width: length, height: 1), with: box.horizontal, style: style)
    }

    public mutating func verticalLine(at point: Point, length: Int, style: Style = .plain, box: BoxStyle = .single) {
        fill(Rect(x: point.x, y: point.y, width: 1, height: length), with: box.vertical, style: style)
    }

    /// Draws the border of `rect` (the inside is left as it is).
    public mutating func border(_ rect: Rect, style: Style = .plain, box: BoxStyle = .single) {
        guard rect.width >= 2, rect.height >= 2 else {
            if rect.height == 1 { horizontalLine(at: rect.origin, length: rect.width, style: style, box: box) }
            else if rect.width == 1 { verticalLine(at: rect.origin, length: rect.height, style: style, box: box) }
            return
        }
        horizontalLine(at: Point(x: rect.x + 1, y: rect.y), length: rect.width - 2, style: style, box: box)
        horizontalLine(at: Point(x: rect.x + 1, y: rect.maxY - 1), length: rect.width - 2, style: style, box: box)
        verticalLine(at: Point(x: rect.x, y: rect.y + 1), length: rect.height - 2, style: style, box: box)
        verticalLine(at: Point(x: rect.maxX - 1, y: rect.y + 1), length: rect.height - 2, style: style, box: box)
        put(String(box.topLeft), at: rect.origin, style: style)
        put(String(box.topRight), at: Point(x: rect.maxX - 1, y: rect.y), style: style)
        put(String(box.bottomLeft), at: Point(x: rect.x, y: rect.maxY - 1), style: style)
        put(String(box.bottomRight), at: Point(x: rect.maxX - 1, y: rect.maxY - 1), style: style)
    }

    // MARK: Snapshots and diffs

    /// The text of each row (continuation cells skipped), for snapshot tests.
    public func lines(trimmingTrailingSpaces: Bool = true) -> [String] {
        (0..<size.height).map { y in
            var line = ""
            line.reserveCapacity(size.width)
            for cell in row(y) {
                switch cell.content {
                case .scalar(let scalar): line.unicodeScalars.append(scalar)
                case .cluster(let character): line.append(character)
                case .continuation: break
                }
            }
            if trimmingTrailingSpaces {
                while line.last == " " { line.removeLast() }
            }
            return line
        }
    }

    /// The runs of cells that differ from `previous`. When the sizes differ every row is one run.
    public func diff(from previous: Canvas) -> [CellRun] {
        guard previous.size == size else {
            return (0..<size.height).map { CellRun(x: 0, y: $0, cells: Array(row($0))) }
        }
        var runs: [CellRun] = []
        let width = size.width
        for y in 0..<size.height {
            let rowStart = y * width
            var x = 0
            while x < width {
                if cells[rowStart + x] == previous.cells[rowStart + x] {
                    x += 1
                    continue
                }
                var start = x
                if cells[rowStart + start].isContinuation && start > 0 { start -= 1 }
                var end = x + 1
                while end < width && cells[rowStart + end] != previous.cells[rowStart + end] { end += 1 }
                if cells[rowStart + end - 1].width == 2 && end < width { end += 1 }
                runs.append(CellRun(x: start, y: y, cells: Array(cells[(rowStart + start)..<(rowStart + end)])))
                x = end
            }
        }
        return runs
    }

    // MARK: Writing cells

    /// Writes one cell, blanking the other half of any wide grapheme it splits.
    @inline(__always)
    private mutating func write(_ cell: Cell, at index: Int, x: Int) {
        let old = cells[index]
        if old.width == 2 && cell.width != 2 && x + 1 < size.width {
            cells[index + 1] = .blank(cells[index + 1].style)
        } else if old.isContinuation && !cell.isContinuation && x > 0 {
            cells[index - 1] = .blank(cells[index - 1].style)
        }
        cells[index] = cell
    }
}
