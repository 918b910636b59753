/// Decides which scalars may reach the terminal. Control characters (C0, DEL, C1 — and so every
/// escape sequence), bidi overrides and isolates, and invisible zero-width characters are replaced
/// by a visible placeholder, so text from the network can neither move the cursor, retitle the
/// window, reorder what follows it, nor hide characters.
public enum TextSanitizer {
    /// The placeholder for everything that is not a C0 control or DEL.
    public static let replacement: Unicode.Scalar = "\u{FFFD}"

    /// True when `scalar` must never be written to the terminal as it is.
    @inlinable
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x20 || (v >= 0x7F && v <= 0x9F) { return true }
        if v < 0x00AD { return false }
        switch v {
        case 0x00AD,                 // soft hyphen (invisible)
             0x034F,                 // combining grapheme joiner (invisible)
             0x061C,                 // arabic letter mark (bidi)
             0x115F...0x1160,        // hangul fillers (blank)
             0x17B4...0x17B5,        // khmer inherent vowels (invisible)
             0x180B...0x180F,        // mongolian variation selectors and vowel separator
             0x200B...0x200F,        // zero-width space/joiners, LRM, RLM
             0x2028...0x2029,        // line and paragraph separators
             0x202A...0x202E,        // bidi embeddings and overrides
             0x2060...0x2064,        // word joiner, invisible operators
             0x2066...0x2069,        // bidi isolates
             0x3164, 0xFFA0,         // hangul fillers (blank)
             0xFEFF,                 // zero-width no-break space (BOM)
             0xFFF9...0xFFFB,        // interlinear annotation controls
             0x1D173...0x1D17A,      // musical formatting controls (invisible)
             0xE0000...0xE007F:      // tags: invisible ASCII look-alikes (kept inside an emoji flag)
            return true
        default:
            return false
        }
    }

    /// The visible stand-in for an unsafe scalar: a Control Pictures glyph for C0 and DEL
    /// (`␛` for ESC), `�` otherwise. Always one cell wide.
    public static func placeholder(for scalar: Unicode.Scalar) -> Unicode.Scalar {
        let v = scalar.value
        if v < 0x20 { return Unicode.Scalar(0x2400 + v)! }
        if v == 0x7F { return "\u{2421}" }
        return replacement
    }

    /// True for the invisible scalars an emoji sequence needs: the zero-width joiner (👨‍👩‍👧) and
    /// tags (the flag of Scotland), which are kept inside an emoji and replaced anywhere else.
    @inlinable
    public static func isEmojiGlue(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value == 0x200D || (scalar.value >= 0xE0020 && scalar.value <= 0xE007F)
    }

    /// `string` with every unsafe scalar replaced by its placeholder. A zero-width joiner inside an
    /// emoji sequence (👨‍👩‍👧) is kept: it is drawn as one emoji, not hidden.
    public static func sanitize(_ string: String) -> String {
        if isPlainASCII(string) { return string }
        var result = String.UnicodeScalarView()
        for character in string {
            let scalars = character.unicodeScalars
            let allowsJoiner = isEmojiSequence(character)
            for scalar in scalars {
                if isUnsafe(scalar) && !(allowsJoiner && isEmojiGlue(scalar)) {
                    result.append(placeholder(for: scalar))
                } else {
                    result.append(scalar)
                }
            }
        }
        return String(result)
    }

    /// True when every byte is printable ASCII (0x20–0x7E): nothing to sanitise, one cell per byte.
    @inlinable
    public static func isPlainASCII(_ string: String) -> Bool {
        string.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// An emoji ZWJ sequence: starts with an emoji and every joiner sits between two scalars.
    public static func isEmojiSequence(_ character: Character) -> Bool {
        let scalars = character.unicodeScalars
        guard let first = scalars.first, first.value >= 0x80, first.properties.isEmoji else { return false }
        return scalars.last?.value != 0x200D
    }
}
