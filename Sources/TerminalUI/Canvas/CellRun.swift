/// A horizontal run of cells that changed between two frames, starting at (`x`, `y`).
public struct CellRun: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var cells: [Cell]

    public init(x: Int, y: Int, cells: [Cell]) {
        self.x = x
        self.y = y
        self.cells = cells
    }

    /// The run's text (continuation cells skipped).
    public var text: String { cells.map(\.grapheme).joined() }
}
