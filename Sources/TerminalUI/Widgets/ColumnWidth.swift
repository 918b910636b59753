/// How wide a table column is.
public enum ColumnWidth: Hashable, Sendable {
    /// Exactly this many cells.
    case fixed(Int)
    /// A share of the room left after fixed columns and minimums, by `weight`, never below `minimum`.
    case flex(weight: Int = 1, minimum: Int = 0)

    /// At least `cells` wide, growing like `.flex()`.
    public static func min(_ cells: Int) -> ColumnWidth { .flex(weight: 1, minimum: cells) }
}
