import Foundation
import TerminalUI

/// A pane's rows as shown: those the user's filter keeps, in the order of the sorted column
/// (each column's typed `SortKey`, ties by row ID), else in the pane's own order. Built once
/// for a filter and sort, then patched row by row (`remove`, `insert`: a binary search and
/// one move), so a change to one row of 100,000 costs one row, not a sort. A new sort, or a
/// filter that only narrows the one before, re-arranges the rows it has (`rearrange`), without
/// going back to every row of the pane.
struct ArrangedRows {
    private(set) var filter: RowFilter?
    private(set) var sort: AppState.Sort?
    let titles: [String]
    private(set) var rows: [PaneRow] = []
    /// Each shown row's place in the pane's own order, in the same order as `rows`. With a
    /// sort, a row's place in the shown order is made from the row when a search needs it.
    private var bases: [OrderKey] = []

    /// `all`: every row of the pane with its place in the pane's own order.
    init<S: Sequence>(_ all: S, filter: RowFilter?, sort: AppState.Sort?, titles: [String]) where S.Element == (row: PaneRow, base: OrderKey) {
        self.titles = titles
        self.filter = Self.effective(filter)
        self.sort = Self.effective(sort, columns: titles.count)
        rows.reserveCapacity(all.underestimatedCount)
        bases.reserveCapacity(all.underestimatedCount)
        for (row, base) in all {
            rows.append(row)
            bases.append(base)
        }
        // Filtered in place, all rows at once (`RowFilter.keeps`), then closed up.
        if let filter = self.filter { keep(rows.withUnsafeBufferPointer { filter.keeps($0, columns: titles) }) }
        order()
    }

    /// Only the rows and bases whose `kept` is true, in the same order.
    private mutating func keep(_ kept: [Bool]) {
        var count = 0
        for i in rows.indices where kept[i] {
            if count != i {
                rows.swapAt(count, i)
                bases.swapAt(count, i)
            }
            count += 1
        }
        rows.removeLast(rows.count - count)
        bases.removeLast(bases.count - count)
    }

    private static func effective(_ filter: RowFilter?) -> RowFilter? { filter.flatMap { $0.isEmpty ? nil : $0 } }
    private static func effective(_ sort: AppState.Sort?, columns: Int) -> AppState.Sort? { sort.flatMap { $0.column < columns ? $0 : nil } }

    func keeps(_ row: PaneRow) -> Bool {
        guard let filter else { return true }
        return row.keptByFilters || filter.matches(row, columns: titles)
    }

    func key(_ row: PaneRow, base: OrderKey) -> OrderKey {
        guard let sort else { return base }
        return OrderKey(row.sortKey(sort.column), ascending: sort.ascending, id: row.id)
    }

    /// Whether the filter and sort are these.
    func arranges(filter: RowFilter?, sort: AppState.Sort?) -> Bool {
        self.filter == Self.effective(filter) && self.sort == Self.effective(sort, columns: titles.count)
    }

    /// Arranged by `filter` and `sort` from the rows shown now, when that gives every row the
    /// pane would keep: the filter is the same or narrows the one before (only shown rows can
    /// pass it). False when the pane's rows are needed (nothing changed then).
    mutating func rearrange(filter: RowFilter?, sort: AppState.Sort?) -> Bool {
        let filter = Self.effective(filter), sort = Self.effective(sort, columns: titles.count)
        if filter != self.filter {
            guard let filter, filter.narrows(self.filter) else { return false }
            self.filter = filter
            keep(rows.withUnsafeBufferPointer { filter.keeps($0, columns: titles) })
        }
        if sort != self.sort {
            self.sort = sort
            order()
        }
        return true
    }

    /// Rows from which the keys of a sort are written and sorted on two threads at once, in two
    /// halves then merged: most of a new sort of 100,000 rows is reading each row's cells and
    /// ID from memory, which the second core halves.
    static let rowsSortedInHalves = 20_000

    /// Puts the rows in the order of the sort, else of their bases.
    private mutating func order() {
        let halves = rows.count >= Self.rowsSortedInHalves && ProcessInfo.processInfo.activeProcessorCount > 1
        let order: [Int]
        if let sort {
            // The rows are only read while their keys are written (by two threads at once).
            order = rows.withUnsafeBufferPointer { rows in
                OrderKey.sortedOrder(count: rows.count, halves: halves) { i, sink in
                    PaneRow.prefetch(rows, reading: i)
                    PaneRow.appendOrderKey(of: rows, at: i, column: sort.column, ascending: sort.ascending, to: &sink)
                }
            }
        } else {
            order = bases.withUnsafeBufferPointer { bases in
                OrderKey.sortedOrder(count: bases.count, halves: halves) { i, sink in
                    bases[i].bytes.withUnsafeBufferPointer {
                        sink.reserve($0.count)
                        sink.put($0)
                    }
                }
            }
        }
        permute(by: order)
    }

    /// Rows and bases put so that place `i` holds what was at `order[i]`.
    private mutating func permute(by order: [Int]) {
        Self.permute(&rows, by: order)
        Self.permute(&bases, by: order)
    }

    /// `items` put so that place `i` holds what was at `order[i]` (a permutation), each value
    /// moved, not copied: nothing is retained or released.
    private static func permute<T>(_ items: inout [T], by order: [Int]) {
        items.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let moved = UnsafeMutablePointer<T>.allocate(capacity: buffer.count)
            defer { moved.deallocate() }
            moved.moveInitialize(from: base, count: buffer.count)
            for (i, from) in order.enumerated() { (base + i).moveInitialize(from: moved + from, count: 1) }
        }
    }

    /// Takes out the `removed` rows (as they were shown) and puts in the `inserted` ones the
    /// filter keeps, as `remove` and `insert` one by one would, but in one pass over the rows
    /// when there are several: each place is found by a binary search, the rows kept are moved
    /// once. (One by one, each insertion or removal moves every row after it: a host's
    /// heartbeat changing its 100 rows of 100,000 moved 10 million.)
    mutating func patch(removing removed: [(row: PaneRow, base: OrderKey)], inserting inserted: [(row: PaneRow, base: OrderKey)]) {
        guard removed.count + inserted.count > 2 else {
            for (row, base) in removed { remove(row, base: base) }
            for (row, base) in inserted { insert(row, base: base) }
            return
        }
        // Removal: the places of the rows shown, then the rest closed up in order.
        var gone: [Int] = []
        gone.reserveCapacity(removed.count)
        for (row, base) in removed {
            let key = key(row, base: base)
            let i = slot(of: key)
            if i < rows.count && shownKey(i) == key { gone.append(i) }
        }
        if !gone.isEmpty {
            gone.sort()
            var kept = gone[0], next = 0
            for i in gone[0]..<rows.count {
                if next < gone.count && gone[next] == i {
                    while next < gone.count && gone[next] == i { next += 1 }
                    continue
                }
                rows.swapAt(kept, i)
                bases.swapAt(kept, i)
                kept += 1
            }
            rows.removeLast(rows.count - kept)
            bases.removeLast(bases.count - kept)
        }
        // Insertion: each new row's place among the rows kept (ties by key), then one merge from
        // the end.
        var places: [(slot: Int, key: OrderKey, row: PaneRow, base: OrderKey)] = []
        places.reserveCapacity(inserted.count)
        for (row, base) in inserted where keeps(row) {
            let key = key(row, base: base)
            places.append((slot(of: key), key, row, base))
        }
        guard !places.isEmpty else { return }
        places.sort { $0.slot != $1.slot ? $0.slot < $1.slot : $0.key < $1.key }
        Self.merge(&rows, places.map { ($0.slot, $0.row) })
        Self.merge(&bases, places.map { ($0.slot, $0.base) })
    }

    /// `items` with each new item put before the item at its slot (slots ascending; equal
    /// slots in the given order), each old item moved once, not copied.
    private static func merge<T>(_ items: inout [T], _ new: [(slot: Int, item: T)]) {
        let old = items.count
        items.append(contentsOf: new.map(\.item))
        items.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            // The new items out of the way, then everything put in its place from the end.
            let incoming = UnsafeMutablePointer<T>.allocate(capacity: new.count)
            defer { incoming.deallocate() }
            incoming.moveInitialize(from: base + old, count: new.count)
            var write = old + new.count, i = old, j = new.count
            while j > 0 {
                write -= 1
                if new[j - 1].slot >= i {
                    j -= 1
                    (base + write).moveInitialize(from: incoming + j, count: 1)
                } else {
                    i -= 1
                    (base + write).moveInitialize(from: base + i, count: 1)
                }
            }
        }
    }

    /// A row whose text changed, with the same ID and place in the pane's own order.
    struct Change {
        var old: PaneRow
        var new: PaneRow
        var base: OrderKey
    }

    /// Each changed row that keeps its place in the shown order (the same key, the filter
    /// keeping both or neither) changed where it is, found by a binary search; the others
    /// added to `removed` (as they were shown) and `inserted`, to be patched. A host's age
    /// ticking each second changes its row's text, not its place: 10,000 such rows are 10,000
    /// replacements, not a sort.
    mutating func replaceInPlace(_ changes: [Change], removing removed: inout [(row: PaneRow, base: OrderKey)],
                                 inserting inserted: inout [(row: PaneRow, base: OrderKey)]) {
        for change in changes {
            let kept = keeps(change.old)
            let key = key(change.old, base: change.base)
            guard kept == keeps(change.new), key == self.key(change.new, base: change.base) else {
                removed.append((change.old, change.base))
                inserted.append((change.new, change.base))
                continue
            }
            guard kept else { continue }
            let i = slot(of: key)
            if i < rows.count && shownKey(i) == key {
                rows[i] = change.new
            } else {
                // Not where its key says (it should be): put in as new.
                inserted.append((change.new, change.base))
            }
        }
    }

    /// Takes out `row` (as it was shown, with its place in the pane's order) if shown.
    mutating func remove(_ row: PaneRow, base: OrderKey) {
        let key = key(row, base: base)
        let i = slot(of: key)
        if i < rows.count && shownKey(i) == key {
            rows.remove(at: i)
            bases.remove(at: i)
        }
    }

    /// Puts `row` in its place if the filter keeps it.
    mutating func insert(_ row: PaneRow, base: OrderKey) {
        guard keeps(row) else { return }
        let i = slot(of: key(row, base: base))
        rows.insert(row, at: i)
        bases.insert(base, at: i)
    }

    /// The place of the `i`th shown row in the shown order.
    private func shownKey(_ i: Int) -> OrderKey { key(rows[i], base: bases[i]) }

    /// The first index whose key is not below `key`.
    private func slot(of key: OrderKey) -> Int {
        var low = 0, high = rows.count
        while low < high {
            let mid = (low + high) / 2
            if shownKey(mid) < key { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
