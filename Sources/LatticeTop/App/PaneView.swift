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

public struct PaneRow: Sendable, Equatable {
    public var id: String
    public var cells: [String]
    public var role: ThemeRole?
    public var cellRoles: [ThemeRole?]
    /// Where `enter` goes from this row.
    public var drill: DrillTarget?
    /// What the row is about (raw JSON, operate keys and `x` act on it).
    public var item: RowItem?
    /// What each column sorts by, by column index; a column without one sorts by its text.
    public var sortKeys: [Int: SortKey]
    /// A landmark every filter keeps (the Events pane's "dashboard started" line).
    public var keptByFilters = false

    public init(id: String, cells: [String], role: ThemeRole? = nil, cellRoles: [ThemeRole?] = [], drill: DrillTarget? = nil,
                item: RowItem? = nil, sortKeys: [Int: SortKey] = [:]) {
        self.id = id
        self.cells = cells
        self.role = role
        self.cellRoles = cellRoles
        self.drill = drill
        self.item = item
        self.sortKeys = sortKeys
    }

    /// The value column `column` sorts by.
    public func sortKey(_ column: Int) -> SortKey {
        sortKeys[column] ?? .text(column < cells.count ? cells[column] : "")
    }
}
