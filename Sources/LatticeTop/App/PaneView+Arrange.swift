import Foundation
import TerminalUI

extension PaneView {
    /// The rows kept by `filter` and ordered by `sort`, by each column's typed sort key.
    public func arranged(filter: RowFilter?, sort: AppState.Sort?) -> PaneView {
        var copy = self
        if let filter, !filter.isEmpty {
            let titles = columns.map(\.title)
            copy.rows = rows.filter { $0.keptByFilters || filter.matches($0.cells, columns: titles) }
        }
        if let sort, sort.column < columns.count {
            let c = sort.column
            copy.rows.sort { a, b in
                let x = a.sortKey(c), y = b.sortKey(c)
                if x == y { return a.id < b.id }
                return sort.ascending ? x < y : y < x
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
