/// Terminal display widths computed from Unicode properties (not the locale-dependent C `wcwidth`).
///
/// A scalar is 0 (combining and enclosing marks, format characters, conjoining Hangul vowels and
/// finals, variation selectors), 2 (East Asian Wide/Fullwidth, emoji presentation) or 1. A grapheme
/// cluster is as wide as its widest scalar, 2 for an emoji made a picture by U+FE0F and for a flag
/// (a pair of regional indicators). String widths count what `Canvas` draws: every unsafe scalar
/// becomes a one-cell placeholder (see `TextSanitizer`).
public enum DisplayWidth {
    /// The width a terminal gives `scalar` on its own. Control characters are 0 here; when drawn
    /// they become one-cell placeholders.
    @inlinable
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v >= 0x20 && v < 0x7F { return 1 }
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        return nonASCIIWidth(scalar)
    }

    @usableFromInline
    static func nonASCIIWidth(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v == 0x00AD { return 1 }                       // soft hyphen is shown by terminals
        if v >= 0x1160 && v <= 0x11FF { return 0 }        // Hangul medial vowels and final consonants
        if v >= 0xD7B0 && v <= 0xD7FF { return 0 }
        if v == 0x200B { return 0 }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format:
            return 0
        default:
            break
        }
        if isEastAsianWide(v) || properties.isEmojiPresentation { return 2 }
        return 1
    }

    /// The width of one grapheme cluster as the terminal shows it (unsafe scalars not replaced).
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        var iterator = scalars.makeIterator()
        guard let first = iterator.next() else { return 0 }
        guard let second = iterator.next() else { return of(first) }
        if isRegionalIndicator(first) && isRegionalIndicator(second) { return 2 }
        var width = max(of(first), of(second))
        var hasEmojiSelector = second.value == 0xFE0F
        while width < 2, let next = iterator.next() {
            width = max(width, of(next))
            if next.value == 0xFE0F { hasEmojiSelector = true }
        }
        if width < 2 && hasEmojiSelector && first.properties.isEmoji { return 2 }
        return width
    }

    /// The number of cells `string` takes when drawn on a `Canvas`.
    public static func of(_ string: String) -> Int {
        if TextSanitizer.isPlainASCII(string) { return string.utf8.count }
        var total = 0
        GraphemeScanner.forEach(in: string) { grapheme in
            total += grapheme.width
            return true
        }
        return total
    }

    /// `string` cut to at most `maxWidth` cells, ending in `ellipsis` when something was cut.
    /// The result is sanitised.
    public static func truncate(_ string: String, to maxWidth: Int, ellipsis: String = "…") -> String {
        guard maxWidth > 0 else { return "" }
        let sanitized = TextSanitizer.sanitize(string)
        if of(sanitized) <= maxWidth { return sanitized }
        let ellipsisWidth = of(ellipsis)
        guard ellipsisWidth <= maxWidth else { return String(repeating: ".", count: maxWidth) }
        let budget = maxWidth - ellipsisWidth
        var result = ""
        var used = 0
        GraphemeScanner.forEach(in: sanitized) { grapheme in
            if used + grapheme.width > budget { return false }
            used += grapheme.width
            result.append(grapheme.character)
            return true
        }
        return result + ellipsis
    }

    static func isRegionalIndicator(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x1F1E6 && scalar.value <= 0x1F1FF
    }
}

extension String {
    /// Cells this string takes when drawn on a `Canvas` (see `DisplayWidth`).
    public var displayWidth: Int { DisplayWidth.of(self) }
}
