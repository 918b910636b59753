import Foundation
import TerminalUI

/// A pane's rows as shown: those the user's filter keeps, in the order of the sorted column
/// (each column's typed `SortKey`, ties by row ID), else in the pane's own order. Built once
/// for a filter and sort, then patched row by row (`remove`, `insert`: a binary search and
/// one move), so a change to one row of 100,000 costs one row, not a sort.
struct ArrangedRows {
    let filter: RowFilter?
    let sort: AppState.Sort?
    let titles: [String]
    private(set) var rows: [PaneRow] = []
    /// Each shown row's place, in the same order as `rows`.
    private var keys: [OrderKey] = []

    /// `all`: every row of the pane with its place in the pane's own order.
    init<S: Sequence>(_ all: S, filter: RowFilter?, sort: AppState.Sort?, titles: [String]) where S.Element == (row: PaneRow, base: OrderKey) {
        self.filter = filter.flatMap { $0.isEmpty ? nil : $0 }
        self.sort = sort.flatMap { $0.column < titles.count ? $0 : nil }
        self.titles = titles
        var keptRows: [PaneRow] = [], keptKeys: [OrderKey] = []
        keptRows.reserveCapacity(all.underestimatedCount)
        keptKeys.reserveCapacity(all.underestimatedCount)
        // The filter and sort read once, not per row.
        let filter = self.filter, sort = self.sort
        for (row, base) in all {
            if let filter, !row.keptByFilters, !filter.matches(row.cells, columns: titles) { continue }
            keptRows.append(row)
            keptKeys.append(sort.map { OrderKey(row.sortKey($0.column), ascending: $0.ascending, id: row.id) } ?? base)
        }
        let order = OrderKey.sortedOrder(keptKeys)
        rows = order.map { keptRows[$0] }
        keys = order.map { keptKeys[$0] }
    }

    func keeps(_ row: PaneRow) -> Bool {
        guard let filter else { return true }
        return row.keptByFilters || filter.matches(row.cells, columns: titles)
    }

    func key(_ row: PaneRow, base: OrderKey) -> OrderKey {
        guard let sort else { return base }
        return OrderKey(row.sortKey(sort.column), ascending: sort.ascending, id: row.id)
    }

    /// Whether the filter and sort are these.
    func arranges(filter: RowFilter?, sort: AppState.Sort?) -> Bool {
        self.filter == filter.flatMap { $0.isEmpty ? nil : $0 } && self.sort == sort.flatMap { $0.column < titles.count ? $0 : nil }
    }

    /// Takes out `row` (as it was shown, with its place in the pane's order) if shown.
    mutating func remove(_ row: PaneRow, base: OrderKey) {
        let key = key(row, base: base)
        let i = slot(of: key)
        if i < keys.count && keys[i] == key {
            rows.remove(at: i)
            keys.remove(at: i)
        }
    }

    /// Puts `row` in its place if the filter keeps it.
    mutating func insert(_ row: PaneRow, base: OrderKey) {
        guard keeps(row) else { return }
        let key = key(row, base: base)
        let i = slot(of: key)
        rows.insert(row, at: i)
        keys.insert(key, at: i)
    }

    /// The first index whose key is not below `key`.
    private func slot(of key: OrderKey) -> Int {
        var low = 0, high = keys.count
        while low < high {
            let mid = (low + high) / 2
            if keys[mid] < key { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
