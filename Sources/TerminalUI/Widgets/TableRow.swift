public struct TableRow: Hashable, Sendable {
    public var cells: [String]
    /// The style of the whole row (e.g. `.unhealthy`, `.stale`); `.normal` when nil.
    public var role: ThemeRole?
    /// Per-cell roles that override the row's (e.g. a green "Healthy" status cell); nil entries keep it.
    public var cellRoles: [ThemeRole?]
    /// Marked for a bulk action.
    public var isMarked: Bool

    public init(_ cells: [String], role: ThemeRole? = nil, cellRoles: [ThemeRole?] = [], isMarked: Bool = false) {
        self.cells = cells
        self.role = role
        self.cellRoles = cellRoles
        self.isMarked = isMarked
    }
}
