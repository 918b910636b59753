import Foundation
import TerminalUI

extension PaneView {
    /// The rows kept by `filter` and ordered by `sort`, by each column's typed sort key (ties by
    /// row ID; without a sort, in the view's order). The same rule as `ArrangedRows`.
    public func arranged(filter: RowFilter?, sort: AppState.Sort?) -> PaneView {
        var copy = self
        copy.rows = ArrangedRows(rows.enumerated().map { ($1, OrderKey(position: $0)) }, filter: filter, sort: sort,
                                 titles: columns.map(\.title)).rows
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
