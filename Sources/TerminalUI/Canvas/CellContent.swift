/// What a cell holds. Single scalars (all of ASCII) are stored without a `String`.
public enum CellContent: Hashable, Sendable {
    case scalar(Unicode.Scalar)
    /// A grapheme of several scalars: a base with combining marks, an emoji sequence, a flag.
    case cluster(Character)
    /// The right half of a wide grapheme in the cell to its left.
    case continuation
}
