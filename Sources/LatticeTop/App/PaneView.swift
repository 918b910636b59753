import TerminalUI

/// What a pane shows, computed from the lattice state: columns and rows, each row with a stable
/// ID (so the selection survives updates) and where `enter` leads.
public struct PaneView: Sendable {
    public var title: String
    public var columns: [TableColumn]
    public var rows: [PaneRow]
    public var emptyMessage: String

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
        // line (fields are laid out in this order), so each row costs one memory access.
        var id: String
        var cells: [String] { didSet { searchText = Self.searchText(cells) } }
        /// The cells joined by spaces, ASCII letters lowercased: what a plain-text filter
        /// searches (`RowFilter.matches(_:columns:)`), one buffer per row.
        private(set) var searchText: [UInt8]
        var sortKeys: [Int: SortKey]
        var keptByFilters = false
        var role: ThemeRole?
        var cellRoles: [ThemeRole?]
        var drill: DrillTarget?
        var item: RowItem?

        init(id: String, cells: [String], role: ThemeRole?, cellRoles: [ThemeRole?], drill: DrillTarget?, item: RowItem?,
             sortKeys: [Int: SortKey]) {
            self.id = id
            self.cells = cells
            searchText = Self.searchText(cells)
            self.role = role
            self.cellRoles = cellRoles
            self.drill = drill
            self.item = item
            self.sortKeys = sortKeys
        }

        static func searchText(_ cells: [String]) -> [UInt8] {
            var text: [UInt8] = []
            text.reserveCapacity(cells.reduce(cells.count) { $0 + $1.utf8.count })
            for (i, cell) in cells.enumerated() {
                if i > 0 { text.append(0x20) }
                for b in cell.utf8 { text.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b) }
            }
            return text
        }

        /// Appends `SortKey.text(cells[column])`'s bytes. A long cell's text is read where
        /// `searchText` holds it, next to the row, not from the string it may share with the
        /// model (one memory access fewer per row when a sort reads 100,000 of them); a short one
        /// is held in the cell itself.
        func appendCollation(ofCell column: Int, to sink: inout ByteSink) {
            let cells = self.cells
            let count = cells[column].utf8.count
            if count > 15 {
                let start = sink.count
                // Where the cell starts in `searchText`: the cells before it and a space after each.
                var offset = column
                for i in 0..<column { offset += cells[i].utf8.count }
                let ascii = searchText.withUnsafeBufferPointer {
                    SortKey.appendCollation(asciiLowercased: UnsafeBufferPointer(rebasing: $0[offset..<offset + count]), to: &sink)
                }
                if ascii { return }
                sink.truncate(to: start)
            }
            SortKey.appendCollation(text: cells[column], to: &sink)
        }

        func copy() -> Storage {
            let copy = Storage(id: id, cells: cells, role: role, cellRoles: cellRoles, drill: drill, item: item, sortKeys: sortKeys)
            copy.keptByFilters = keptByFilters
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
    var searchText: [UInt8] { storage.searchText }
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
            && x.item == y.item && x.sortKeys == y.sortKeys && x.keptByFilters == y.keptByFilters
    }

    /// Appends `OrderKey(sortKey(column), ascending:, id:)`'s bytes to `sink`, read from the
    /// row in place: the keys of a whole pane, without a key made per row.
    func appendOrderKey(column: Int, ascending: Bool, to sink: inout ByteSink) {
        let s = storage
        let start = sink.count
        if !s.sortKeys.isEmpty, let key = s.sortKeys[column] {
            key.appendCollation(to: &sink)
        } else if column < s.cells.count {
            s.appendCollation(ofCell: column, to: &sink)
        } else {
            SortKey.appendCollation(text: "", to: &sink)
        }
        OrderKey.end(from: start, ascending: ascending, id: s.id, in: &sink)
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
