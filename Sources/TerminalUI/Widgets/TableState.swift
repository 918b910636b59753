/// The selected row and the first row shown. Kept by the reducer; the key handlers move it with
/// the functions below, given the number of rows and how many fit on screen.
public struct TableState: Hashable, Sendable {
    public var selected: Int?
    /// The first row shown.
    public var offset: Int

    public init(selected: Int? = nil, offset: Int = 0) {
        self.selected = selected
        self.offset = offset
    }

    /// The offset that shows the selection, moving as little as possible from the current one,
    /// and never leaving empty rows at the bottom when there are rows above.
    public func visibleOffset(rowCount: Int, visibleRows: Int) -> Int {
        guard rowCount > 0, visibleRows > 0 else { return 0 }
        var offset = self.offset
        if let selected = selected.map({ min(max(0, $0), rowCount - 1) }) {
            if selected < offset { offset = selected }
            if selected >= offset + visibleRows { offset = selected - visibleRows + 1 }
        }
        return min(max(0, offset), max(0, rowCount - visibleRows))
    }

    /// Selects `index` (clamped) and scrolls to show it.
    public mutating func select(_ index: Int, rowCount: Int, visibleRows: Int) {
        guard rowCount > 0 else {
            selected = nil
            offset = 0
            return
        }
        selected = min(max(0, index), rowCount - 1)
        offset = visibleOffset(rowCount: rowCount, visibleRows: visibleRows)
    }

    /// Moves the selection by `delta` rows (negative is up); with no selection, selects the first row.
    public mutating func moveSelection(by delta: Int, rowCount: Int, visibleRows: Int) {
        select(selected.map { $0 + delta } ?? 0, rowCount: rowCount, visibleRows: visibleRows)
    }

    public mutating func pageDown(rowCount: Int, visibleRows: Int) {
        moveSelection(by: max(1, visibleRows), rowCount: rowCount, visibleRows: visibleRows)
    }

    public mutating func pageUp(rowCount: Int, visibleRows: Int) {
        moveSelection(by: -max(1, visibleRows), rowCount: rowCount, visibleRows: visibleRows)
    }

    public mutating func selectFirst(rowCount: Int, visibleRows: Int) {
        select(0, rowCount: rowCount, visibleRows: visibleRows)
    }

    public mutating func selectLast(rowCount: Int, visibleRows: Int) {
        select(rowCount - 1, rowCount: rowCount, visibleRows: visibleRows)
    }

    /// After the rows changed (filter, refresh), keeps the selection in range.
    public mutating func clamp(rowCount: Int, visibleRows: Int) {
        if let selected { select(selected, rowCount: rowCount, visibleRows: visibleRows) }
        else { offset = visibleOffset(rowCount: rowCount, visibleRows: visibleRows) }
    }
}
