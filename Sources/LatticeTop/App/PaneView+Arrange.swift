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
        if let id = selectedIDs[pane], let i = view.rows.index(ofID: id, near: table.selected, identity: selectedRowIdentities[pane]) {
            table.select(i, rowCount: view.rows.count, visibleRows: visibleRows)
        } else {
            table.clamp(rowCount: view.rows.count, visibleRows: visibleRows)
            if table.selected == nil && !view.rows.isEmpty { table.select(0, rowCount: view.rows.count, visibleRows: visibleRows) }
        }
        tables[pane] = table
        noteSelection(in: view, pane: pane)
    }

    /// Remembers the row selected in `pane`'s `view` (its ID, and its identity to find it fast
    /// once moved).
    mutating func noteSelection(in view: PaneView, pane: PaneID) {
        guard let i = tables[pane]?.selected, view.rows.indices.contains(i) else { return }
        selectedIDs[pane] = view.rows[i].id
        selectedRowIdentities[pane] = view.rows[i].identity
    }
}

extension [PaneRow] {
    /// The index of the row with ID `id`: at `hint` when it is still there (most frames), else
    /// where the row of `identity` went (a sort or filter moved the same row value: a scan of
    /// references, not of IDs), else the first row with that ID.
    func index(ofID id: String, near hint: Int?, identity: UInt?) -> Int? {
        if let hint, indices.contains(hint), self[hint].id == id { return hint }
        if let identity, let i = firstIndex(identity: identity), self[i].id == id { return i }
        return firstIndex { $0.id == id }
    }

    /// The first row whose `identity` is `identity`, read from the array's references without
    /// touching the rows.
    func firstIndex(identity: UInt) -> Int? {
        guard MemoryLayout<PaneRow>.size == MemoryLayout<UInt>.size else { return firstIndex { $0.identity == identity } }
        return withUnsafeBytes { raw in
            let stride = MemoryLayout<PaneRow>.stride
            for i in 0..<count where raw.load(fromByteOffset: i * stride, as: UInt.self) == identity { return i }
            return nil
        }
    }
}
