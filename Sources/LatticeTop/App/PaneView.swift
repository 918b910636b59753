import Foundation
import TerminalUI

/// What a pane shows, computed from the lattice state: columns and rows, each row with a stable
/// ID (so the selection survives updates) and where `enter` leads.
public struct PaneView: Sendable {
    public var title: String
    public var columns: [TableColumn]
    public var rows: [PaneRow]
    public var emptyMessage: String
    /// The moment the ages its rows mark are shown at (`LiveAge`); nil when they mark none.
    public var agesAt: Date?

    public init(title: String, columns: [TableColumn], rows: [PaneRow], emptyMessage: String = "nothing here") {
        self.title = title
        self.columns = columns
        self.rows = rows
        self.emptyMessage = emptyMessage
    }
}

/// One row: a value, stored in one shared box (copy on write), so moving rows of a 100,000-row
/// pane around — sorting, filtering, patching — copies one reference per row, not its fields.
public struct PaneRow: Sendable, Equatable {
    private final class Storage: @unchecked Sendable {
        // Mutated only while uniquely referenced (`mutate`): a value once shared.
        // What a sort or filter of every row reads comes first, in the object's first cache
        // line (fields are laid out in this order), then `text`: each row costs two memory
        // accesses.
        /// The cells joined by spaces, ASCII letters lowercased (its first `searchCount`
        /// bytes: what a plain-text filter searches, `RowFilter.matches(_:columns:)`), then the
        /// row's ID (`idCount` bytes), then where each cell ends in it (`cellCount` `UInt32`s):
        /// what a sort's key is read from, one buffer per row.
        private(set) var text: [UInt8] = []
        private(set) var searchCount = 0
        private(set) var idCount = 0
        private(set) var cellCount = 0
        var sortKeys: [Int: SortKey]
        var id: String { didSet { makeText() } }
        var cells: [String] { didSet { makeText() } }
        var keptByFilters = false
        /// The moments of the ages its text marks (`LiveAge`).
        var ages: [Date] = []
        var role: ThemeRole?
        var cellRoles: [ThemeRole?]
        var drill: DrillTarget?
        var item: RowItem?

        init(id: String, cells: [String], role: ThemeRole?, cellRoles: [ThemeRole?], drill: DrillTarget?, item: RowItem?,
             sortKeys: [Int: SortKey]) {
            self.id = id
            self.cells = cells
            self.role = role
            self.cellRoles = cellRoles
            self.drill = drill
            self.item = item
            self.sortKeys = sortKeys
            makeText()
        }

        private func makeText() {
            searchCount = cells.reduce(max(0, cells.count - 1)) { $0 + $1.utf8.count }
            idCount = id.utf8.count
            cellCount = cells.count
            var text: [UInt8] = []
            text.reserveCapacity(searchCount + idCount + 4 * cellCount)
            for (i, cell) in cells.enumerated() {
                if i > 0 { text.append(0x20) }
                for b in cell.utf8 { text.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b) }
            }
            text += id.utf8
            var end = -1
            for cell in cells {
                end += 1 + cell.utf8.count
                withUnsafeBytes(of: UInt32(truncatingIfNeeded: end)) { text += $0 }
            }
            self.text = text
        }

        /// `text`'s first `searchCount` bytes.
        var searchText: ArraySlice<UInt8> { text[0..<searchCount] }

        /// Appends `SortKey.text(cells[column])`'s bytes, read where `text` holds the cell
        /// (ASCII letters lowercased), not from the string, which may be a separate object
        /// shared with the model: one memory access fewer per row when a sort reads 100,000.
        func appendCollation(ofCell column: Int, to sink: inout ByteSink) {
            let start = sink.count
            let ascii = text.withUnsafeBufferPointer { text in
                let ends = UnsafeRawPointer(text.baseAddress! + searchCount + idCount)
                let end = Int(ends.loadUnaligned(fromByteOffset: 4 * column, as: UInt32.self))
                let begin = column == 0 ? 0 : Int(ends.loadUnaligned(fromByteOffset: 4 * (column - 1), as: UInt32.self)) + 1
                return SortKey.appendCollation(asciiLowercased: UnsafeBufferPointer(rebasing: text[begin..<end]), to: &sink)
            }
            if ascii { return }
            // Letters beyond ASCII: lowercased by their own rules, from the string.
            sink.truncate(to: start)
            SortKey.appendCollation(text: cells[column], to: &sink)
        }

        /// Ends a key whose collation was written from `start` on with the row's ID, read from `text`.
        func endOrderKey(from start: Int, ascending: Bool, in sink: inout ByteSink) {
            text.withUnsafeBufferPointer {
                OrderKey.end(from: start, ascending: ascending, id: UnsafeBufferPointer(rebasing: $0[searchCount..<searchCount + idCount]), in: &sink)
            }
        }

        func copy() -> Storage {
            let copy = Storage(id: id, cells: cells, role: role, cellRoles: cellRoles, drill: drill, item: item, sortKeys: sortKeys)
            copy.keptByFilters = keptByFilters
            copy.ages = ages
            return copy
        }
    }

    private var storage: Storage

    private mutating func mutate(_ body: (Storage) -> Void) {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        body(storage)
    }

    public var id: String {
        get { storage.id }
        set { mutate { $0.id = newValue } }
    }
    public var cells: [String] {
        get { storage.cells }
        set { mutate { $0.cells = newValue } }
    }
    public var role: ThemeRole? {
        get { storage.role }
        set { mutate { $0.role = newValue } }
    }
    public var cellRoles: [ThemeRole?] {
        get { storage.cellRoles }
        set { mutate { $0.cellRoles = newValue } }
    }
    /// The cells joined by spaces, ASCII letters lowercased (what plain-text filters search).
    var searchText: ArraySlice<UInt8> { storage.searchText }
    /// Where `enter` goes from this row.
    public var drill: DrillTarget? {
        get { storage.drill }
        set { mutate { $0.drill = newValue } }
    }
    /// What the row is about (raw JSON, operate keys and `x` act on it).
    public var item: RowItem? {
        get { storage.item }
        set { mutate { $0.item = newValue } }
    }
    /// What each column sorts by, by column index; a column without one sorts by its text.
    public var sortKeys: [Int: SortKey] {
        get { storage.sortKeys }
        set { mutate { $0.sortKeys = newValue } }
    }
    /// The moments of the ages its cells mark (`LiveAge`: written in by `text(_:at:)`).
    var ages: [Date] {
        get { storage.ages }
        set { mutate { $0.ages = newValue } }
    }

    /// Column `column`'s text as shown at `now`: its marked ages written in.
    func text(_ column: Int, at now: Date?) -> String {
        let s = storage
        guard column < s.cellCount else { return "" }
        guard let now, !s.ages.isEmpty else { return s.cells[column] }
        return LiveAge.resolve(s.cells[column], ages: s.ages, at: now)
    }

    /// A landmark every filter keeps (the Events pane's "dashboard started" line).
    public var keptByFilters: Bool {
        get { storage.keptByFilters }
        set { mutate { $0.keptByFilters = newValue } }
    }

    public init(id: String, cells: [String], role: ThemeRole? = nil, cellRoles: [ThemeRole?] = [], drill: DrillTarget? = nil,
                item: RowItem? = nil, sortKeys: [Int: SortKey] = [:]) {
        storage = Storage(id: id, cells: cells, role: role, cellRoles: cellRoles, drill: drill, item: item, sortKeys: sortKeys)
    }

    public static func == (a: PaneRow, b: PaneRow) -> Bool {
        if a.storage === b.storage { return true }
        let x = a.storage, y = b.storage
        return x.id == y.id && x.cells == y.cells && x.role == y.role && x.cellRoles == y.cellRoles && x.drill == y.drill
            && x.item == y.item && x.sortKeys == y.sortKeys && x.keptByFilters == y.keptByFilters && x.ages == y.ages
    }

    /// Appends `OrderKey(sortKey(column), ascending:, id:)`'s bytes to `sink`, read from the
    /// row in place: the keys of a whole pane, without a key made per row.
    func appendOrderKey(column: Int, ascending: Bool, to sink: inout ByteSink) {
        let s = storage
        let start = sink.count
        if !s.sortKeys.isEmpty, let key = s.sortKeys[column] {
            key.appendCollation(to: &sink)
        } else if column < s.cellCount {
            s.appendCollation(ofCell: column, to: &sink)
        } else {
            SortKey.appendCollation(text: "", to: &sink)
        }
        s.endOrderKey(from: start, ascending: ascending, in: &sink)
    }

    /// The row value's storage as a number: the same for the row moved by a sort or filter,
    /// another for a row built anew. An address, which a row built later may reuse: a match is
    /// a hint, confirmed by the row's ID.
    var identity: UInt { UInt(bitPattern: ObjectIdentifier(storage)) }

    /// The value column `column` sorts by.
    public func sortKey(_ column: Int) -> SortKey {
        sortKeys[column] ?? .text(column < storage.cells.count ? storage.cells[column] : "")
    }
}
