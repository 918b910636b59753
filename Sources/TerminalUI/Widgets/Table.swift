/// A table with a header row, sized columns, a sort marker, the selected row highlighted and the
/// rows scrolled so the selection stays visible. Only the visible rows are drawn, so its cost does
/// not grow with the number of rows.
public struct Table: Widget, Sendable {
    public var columns: [TableColumn]
    public var rows: [TableRow]
    public var state: TableState
    /// The column whose title gets the sort marker, and the direction.
    public var sortColumn: Int?
    public var sortAscending: Bool
    public var showsHeader: Bool
    /// Shown (dim) instead of rows when there are none.
    public var emptyMessage: String?
    public var columnSpacing: Int

    public init(columns: [TableColumn], rows: [TableRow], state: TableState = TableState(),
                sortColumn: Int? = nil, sortAscending: Bool = true, showsHeader: Bool = true,
                emptyMessage: String? = nil, columnSpacing: Int = 1) {
        self.columns = columns
        self.rows = rows
        self.state = state
        self.sortColumn = sortColumn
        self.sortAscending = sortAscending
        self.showsHeader = showsHeader
        self.emptyMessage = emptyMessage
        self.columnSpacing = columnSpacing
    }

    /// Rows that fit in `area` below the header.
    public func visibleRowCount(in area: Rect) -> Int {
        max(0, area.height - (showsHeader ? 1 : 0))
    }

    public func render(in area: Rect, on canvas: inout Canvas, theme: Theme) {
        guard !area.isEmpty else { return }
        let widths = TableColumn.layout(columns, totalWidth: area.width, spacing: columnSpacing)
        var starts: [Int] = []
        var x = area.x
        for width in widths {
            starts.append(x)
            x += width + columnSpacing
        }
        var y = area.y
        if showsHeader {
            let style = theme[.tableHeader]
            canvas.fill(area.row(0), style: style)
            for (index, column) in columns.enumerated() where widths[index] > 0 {
                var title = column.title
                if index == sortColumn { title += sortAscending ? "↑" : "↓" }
                canvas.text(title, at: Point(x: starts[index], y: y), maxWidth: widths[index], style: style,
                            alignment: column.alignment)
            }
            y += 1
        }
        let visibleRows = area.maxY - y
        guard visibleRows > 0 else { return }
        let body = Rect(x: area.x, y: y, width: area.width, height: visibleRows)
        let normal = theme[.normal]
        canvas.fill(body, style: normal)
        guard !rows.isEmpty else {
            if let emptyMessage {
                canvas.text(emptyMessage, at: Point(x: area.x, y: y), maxWidth: area.width, style: theme[.dim],
                            alignment: .center)
            }
            return
        }
        let offset = state.visibleOffset(rowCount: rows.count, visibleRows: visibleRows)
        let selected = state.selected.map { min(max(0, $0), rows.count - 1) }
        for line in 0..<min(visibleRows, rows.count - offset) {
            let index = offset + line
            let row = rows[index]
            let rowY = y + line
            var rowStyle = row.role.map { theme[$0] } ?? normal
            let highlighted = index == selected || row.isMarked
            if index == selected {
                rowStyle = theme[.selectedRow]
            } else if row.isMarked {
                rowStyle = theme[.markedRow]
            }
            if highlighted || rowStyle.background != normal.background {
                canvas.fill(Rect(x: area.x, y: rowY, width: area.width, height: 1), style: rowStyle)
            }
            for (column, width) in widths.enumerated() where width > 0 && column < row.cells.count {
                var style = rowStyle
                if !highlighted, column < row.cellRoles.count, let role = row.cellRoles[column] {
                    style = theme[role]
                }
                canvas.text(row.cells[column], at: Point(x: starts[column], y: rowY), maxWidth: width,
                            style: style, alignment: columns[column].alignment)
            }
        }
    }
}
