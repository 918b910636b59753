/// One drawable grapheme after sanitisation: what goes into a cell and how many cells it covers.
/// Width 0 means "attach to the previous cell" (a combining mark with no base).
struct Grapheme {
    var content: CellContent
    var width: Int

    var character: Character {
        switch content {
        case .scalar(let scalar): return Character(scalar)
        case .cluster(let character): return character
        case .continuation: return " "
        }
    }
}

/// Walks a string as sanitised graphemes: unsafe scalars become one-cell placeholders (splitting the
/// cluster that held them), clusters are capped at `maxScalars` scalars.
enum GraphemeScanner {
    /// Enough for a base with four combining marks or an emoji ZWJ sequence of four people.
    static let maxScalars = 8

    /// Calls `body` for each grapheme until it returns false.
    static func forEach(in string: String, _ body: (Grapheme) -> Bool) {
        if string.utf8.allSatisfy({ $0 < 0x80 }) {
            for byte in string.utf8 {
                let scalar = Unicode.Scalar(byte)
                let drawn = TextSanitizer.isUnsafe(scalar) ? TextSanitizer.placeholder(for: scalar) : scalar
                if !body(Grapheme(content: .scalar(drawn), width: 1)) { return }
            }
            return
        }
        if string.unicodeScalars.allSatisfy(standsAlone) {
            for scalar in string.unicodeScalars {
                let grapheme = TextSanitizer.isUnsafe(scalar)
                    ? Grapheme(content: .scalar(TextSanitizer.placeholder(for: scalar)), width: 1)
                    : Grapheme(content: .scalar(scalar), width: DisplayWidth.of(scalar))
                if !body(grapheme) { return }
            }
            return
        }
        forEachCharacter(in: string, body)
    }

    /// `forEach(in:_:)` by grapheme clusters (`Character`s), for any text.
    static func forEachCharacter(in string: String, _ body: (Grapheme) -> Bool) {
        for character in string {
            if !forEach(in: character, body) { return }
        }
    }

    /// True for a scalar that forms a grapheme of its own next to any other scalar that also
    /// does: ASCII, Latin-1 and the Latin extensions, and the punctuation, arrows, box drawing,
    /// shapes and symbols blocks (U+2010–U+2BFF without the format characters, separators and
    /// combining marks for symbols). None of them is a mark, joiner, selector, regional indicator,
    /// prepended concatenation mark or Hangul jamo, the only scalars a cluster joins; so text made
    /// of them alone is one grapheme a scalar, and is walked without breaking it into clusters
    /// (the status glyphs, separators and ellipses of every table row).
    @inline(__always)
    static func standsAlone(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x300, 0x2010...0x2027, 0x2030...0x205F, 0x2070...0x20CF, 0x2100...0x2BFF: true
        default: false
        }
    }

    /// Returns false when `body` asked to stop.
    static func forEach(in character: Character, _ body: (Grapheme) -> Bool) -> Bool {
        let scalars = character.unicodeScalars
        if scalars.count == 1, let scalar = scalars.first {
            if TextSanitizer.isUnsafe(scalar) {
                return body(Grapheme(content: .scalar(TextSanitizer.placeholder(for: scalar)), width: 1))
            }
            return body(Grapheme(content: .scalar(scalar), width: DisplayWidth.of(scalar)))
        }
        let allowsJoiner = TextSanitizer.isEmojiSequence(character)
        if !scalars.contains(where: { TextSanitizer.isUnsafe($0) && !(allowsJoiner && TextSanitizer.isEmojiGlue($0)) }) {
            return body(cluster(character))
        }
        var pending = String.UnicodeScalarView()
        for scalar in scalars {
            if TextSanitizer.isUnsafe(scalar) && !(allowsJoiner && TextSanitizer.isEmojiGlue(scalar)) {
                for piece in String(pending) where !body(cluster(piece)) { return false }
                pending.removeAll()
                if !body(Grapheme(content: .scalar(TextSanitizer.placeholder(for: scalar)), width: 1)) { return false }
            } else {
                pending.append(scalar)
            }
        }
        if !pending.isEmpty {
            // What is left may be several clusters now (e.g. marks after a removed control).
            for piece in String(pending) {
                if !body(cluster(piece)) { return false }
            }
        }
        return true
    }

    private static func cluster(_ character: Character) -> Grapheme {
        let scalars = character.unicodeScalars
        if scalars.count == 1, let scalar = scalars.first {
            return Grapheme(content: .scalar(scalar), width: DisplayWidth.of(scalar))
        }
        var capped = character
        if scalars.count > maxScalars {
            capped = String(String.UnicodeScalarView(scalars.prefix(maxScalars))).first ?? character
        }
        return Grapheme(content: .cluster(capped), width: DisplayWidth.of(character))
    }
}
