import CCurses

/// The ncurses attribute bits (`A_BOLD` etc. are function-like macros Swift cannot import):
/// `NCURSES_BITS(1, n) = 1 << (n + NCURSES_ATTR_SHIFT)` with a shift of 8.
enum CursesAttributes {
    static let underline: attr_t = 1 << (9 + 8)
    static let reverse: attr_t = 1 << (10 + 8)
    static let dim: attr_t = 1 << (12 + 8)
    static let bold: attr_t = 1 << (13 + 8)
    static let italic: attr_t = 1 << (23 + 8)

    static func bits(for attributes: TextAttributes) -> attr_t {
        var bits: attr_t = 0
        if attributes.contains(.bold) { bits |= bold }
        if attributes.contains(.dim) { bits |= dim }
        if attributes.contains(.reverse) { bits |= reverse }
        if attributes.contains(.underline) { bits |= underline }
        if attributes.contains(.italic) { bits |= italic }
        return bits
    }
}
