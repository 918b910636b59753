import CPrefetch
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
        // accesses, and neither takes a reference count (a sort reads rows it does not retain:
        // `PaneRow.appendOrderKey(of:at:column:ascending:to:)`).
        /// The row's text, in memory of its own: where each cell ends in the search text
        /// (`cellCount` `UInt32`s), the row's ID (`idCount` bytes), then the cells joined by
        /// spaces with ASCII letters lowercased (`searchCount` bytes: what a plain-text filter
        /// searches, `RowFilter.matches(_:columns:)`). A sort's key is read from it, the ends
        /// and the ID from its first bytes. A pointer, not an array: reading it takes no
        /// reference count, which would be an atomic instruction per row of a sort.
        private(set) var text: UnsafeMutablePointer<UInt8>
        private(set) var searchCount = 0
        private(set) var idCount = 0
        private(set) var cellCount = 0
        /// Whether `sortKeys` has any (read without touching the dictionary).
        private(set) var hasSortKeys = false
        var sortKeys: [Int: SortKey] { didSet { hasSortKeys = !sortKeys.isEmpty } }
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
            (text, searchCount, idCount, cellCount) = Self.text(id: id, cells: cells)
            self.id = id
            self.cells = cells
            self.role = role
            self.cellRoles = cellRoles
            self.drill = drill
            self.item = item
            self.sortKeys = sortKeys
            hasSortKeys = !sortKeys.isEmpty
        }

        deinit { text.deallocate() }

        /// Bytes of `text`.
        var textCount: Int { 4 * cellCount + idCount + searchCount }
        /// Where the search text starts in `text`.
        private var searchStart: Int { 4 * cellCount + idCount }

        /// The text made anew for the row's ID and cells.
        private func makeText() {
            let made = Self.text(id: id, cells: cells)
            text.deallocate()
            (text, searchCount, idCount, cellCount) = made
        }

        /// `text` for `id` and `cells`, with its `searchCount`, `idCount` and `cellCount`.
        private static func text(id: String, cells: [String]) -> (UnsafeMutablePointer<UInt8>, Int, Int, Int) {
            let searchCount = cells.reduce(max(0, cells.count - 1)) { $0 + $1.utf8.count }
            let idCount = id.utf8.count
            let cellCount = cells.count
            let text = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, 4 * cellCount + idCount + searchCount))
            var end = -1, at = 4 * cellCount + idCount
            for (i, cell) in cells.enumerated() {
                end += 1 + cell.utf8.count
                UnsafeMutableRawPointer(text).storeBytes(of: UInt32(truncatingIfNeeded: end), toByteOffset: 4 * i, as: UInt32.self)
                if i > 0 {
                    text[at] = 0x20
                    at += 1
                }
                for b in cell.utf8 {
                    text[at] = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
                    at += 1
                }
            }
            var i = 4 * cellCount
            for b in id.utf8 {
                text[i] = b
                i += 1
            }
            return (text, searchCount, idCount, cellCount)
        }

        /// `body` with the search text (valid only inside it).
        func withSearchText<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
            body(UnsafeRawBufferPointer(start: text + searchStart, count: searchCount))
        }

        /// Appends `OrderKey(sortKey(column), ascending:, id:)`'s bytes, read from `text`.
        func appendOrderKey(column: Int, ascending: Bool, to sink: inout ByteSink) {
            let start = sink.count
            if hasSortKeys, let key = sortKeys[column] {
                key.appendCollation(to: &sink)
            } else if column < cellCount {
                appendCollation(ofCell: column, to: &sink)
            } else {
                SortKey.appendCollation(text: "", to: &sink)
            }
            OrderKey.end(from: start, ascending: ascending, id: UnsafeBufferPointer(start: text + 4 * cellCount, count: idCount), in: &sink)
        }

        /// Appends `SortKey.text(cells[column])`'s bytes, read where `text` holds the cell
        /// (ASCII letters lowercased), not from the string, which may be a separate object
        /// shared with the model: one memory access fewer per row when a sort reads 100,000.
        private func appendCollation(ofCell column: Int, to sink: inout ByteSink) {
            let start = sink.count
            let ends = UnsafeRawPointer(text)
            let end = Int(ends.loadUnaligned(fromByteOffset: 4 * column, as: UInt32.self))
            let begin = column == 0 ? 0 : Int(ends.loadUnaligned(fromByteOffset: 4 * (column - 1), as: UInt32.self)) + 1
            let cell = UnsafeBufferPointer(start: UnsafePointer(text + searchStart + begin), count: end - begin)
            if SortKey.appendCollation(asciiLowercased: cell, to: &sink) { return }
            // Letters beyond ASCII: lowercased by their own rules, from the string.
            sink.truncate(to: start)
            SortKey.appendCollation(text: cells[column], to: &sink)
        }

        /// Asks for the cache lines of `text` a key is read from (its first 256 bytes).
        func prefetchText() {
            let count = min(textCount, 256)
            var offset = 0
            while offset < count {
                latticetop_prefetch(text + offset)
                offset += 64
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
    var searchText: [UInt8] { withSearchText { Array($0) } }

    /// `body` with the row's search text (`searchText` in place, valid only inside `body`).
    func withSearchText<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R { storage.withSearchText(body) }
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
        storage.appendOrderKey(column: column, ascending: ascending, to: &sink)
    }

    /// `rows[i].appendOrderKey(column:ascending:to:)`, reading the row where `rows` holds it
    /// without taking a reference to it (`rows` keeps it alive): a new sort of 100,000 rows
    /// is bound by memory, and an atomic reference count per row keeps the processor from
    /// overlapping one row's cache misses with the next one's.
    static func appendOrderKey(of rows: UnsafeBufferPointer<PaneRow>, at i: Int, column: Int, ascending: Bool, to sink: inout ByteSink) {
        guard let storage = storage(in: rows, at: i) else {
            return rows[i].appendOrderKey(column: column, ascending: ascending, to: &sink)
        }
        storage._withUnsafeGuaranteedRef { $0.appendOrderKey(column: column, ascending: ascending, to: &sink) }
    }

    /// Asks for the memory `appendOrderKey(of:at:…)` reads for row `i`, `ahead` rows before it
    /// is read: the row's object now, its text (whose address is in the object) halfway. A
    /// hint only; nothing is read that `rows` does not hold.
    static func prefetch(_ rows: UnsafeBufferPointer<PaneRow>, reading i: Int, ahead: Int = 16) {
        if i + ahead < rows.count, let storage = storage(in: rows, at: i + ahead) {
            latticetop_prefetch(storage.toOpaque())
        }
        if i + ahead / 2 < rows.count, let storage = storage(in: rows, at: i + ahead / 2) {
            storage._withUnsafeGuaranteedRef { $0.prefetchText() }
        }
    }

    /// `body` with row `i` of `rows`' `keptByFilters` and search text, read where `rows` holds
    /// the row, without taking a reference to it.
    static func withSearchText<R>(of rows: UnsafeBufferPointer<PaneRow>, at i: Int, _ body: (Bool, UnsafeRawBufferPointer) -> R) -> R {
        guard let storage = storage(in: rows, at: i) else { return rows[i].withSearchText { body(rows[i].keptByFilters, $0) } }
        return storage._withUnsafeGuaranteedRef { s in s.withSearchText { body(s.keptByFilters, $0) } }
    }

    /// Row `i`'s storage read from `rows`' memory, unretained; nil if a row is not one
    /// reference (then it is read the ordinary way).
    private static func storage(in rows: UnsafeBufferPointer<PaneRow>, at i: Int) -> Unmanaged<Storage>? {
        guard MemoryLayout<PaneRow>.size == MemoryLayout<UnsafeRawPointer>.size, let base = rows.baseAddress else { return nil }
        return Unmanaged.fromOpaque(UnsafeRawPointer(base + i).load(as: UnsafeRawPointer.self))
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
