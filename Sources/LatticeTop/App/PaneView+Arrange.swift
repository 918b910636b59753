import Foundation
import TerminalUI

extension PaneView {
    /// The rows kept by `filter` and ordered by `sort` (numbers compare as numbers).
    public func arranged(filter: RowFilter?, sort: AppState.Sort?) -> PaneView {
        var copy = self
        if let filter, !filter.isEmpty { copy.rows = rows.filter { filter.matches($0.cells) } }
        if let sort, sort.column < columns.count {
            let c = sort.column
            copy.rows.sort { a, b in
                let x = c < a.cells.count ? a.cells[c] : ""
                let y = c < b.cells.count ? b.cells[c] : ""
                let order = x.compare(y, options: [.numeric, .caseInsensitive])
                if order == .orderedSame { return a.id < b.id }
                return sort.ascending ? order == .orderedAscending : order == .orderedDescending
            }
        }
        return copy
    }
}

extension AppState {
    /// Keeps the selection on the same row (by ID) when rows move, and inside the table.
    public mutating func reconcileSelection(_ view: PaneView, visibleRows: Int) {
        var table = tables[pane] ?? TableState(selected: view.rows.isEmpty ? nil : 0)
        if let id = selectedIDs[pane], let i = view.rows.firstIndex(where: { $0.id == id }) {
            table.select(i, rowCount: view.rows.count, visibleRows: visibleRows)
        } else {
            table.clamp(rowCount: view.rows.count, visibleRows: visibleRows)
            if table.selected == nil && !view.rows.isEmpty { table.select(0, rowCount: view.rows.count, visibleRows: visibleRows) }
        }
        tables[pane] = table
        if let i = table.selected, view.rows.indices.contains(i) { selectedIDs[pane] = view.rows[i].id }
    }
}
