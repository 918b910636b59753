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

    public init(id: String, cells: [String], role: ThemeRole? = nil, cellRoles: [ThemeRole?] = [], drill: DrillTarget? = nil) {
        self.id = id
        self.cells = cells
        self.role = role
        self.cellRoles = cellRoles
        self.drill = drill
    }
}

/// A drill-down: a host's components and providers, or one provider's health detail.
public enum DrillTarget: Hashable, Sendable {
    case host(String)
    case provider(hostID: String, providerID: String)
    case component(hostID: String, componentID: String)
    case link(String)
    case config(String)
    case app(String)
    case event(Int)
    /// One spied message's detail (headers, full payload).
    case spyMessage(UInt64)
    /// The spy's per-operation table.
    case spyOperations
}
