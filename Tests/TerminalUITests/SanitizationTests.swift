import Testing
@testable import TerminalUI

@Suite struct SanitizationTests {
    /// Every cell's grapheme, checked for scalars that must never reach the terminal.
    private func unsafeScalars(in canvas: Canvas) -> [Unicode.Scalar] {
        var found: [Unicode.Scalar] = []
        for y in 0..<canvas.size.height {
            for cell in canvas.row(y) {
                found += cell.grapheme.unicodeScalars.filter { TextSanitizer.isUnsafe($0) && $0.value != 0x200D }
            }
        }
        return found
    }

    @Test func clearScreenEscapeIsNeutralised() {
        var canvas = Canvas(width: 20, height: 1)
        canvas.put("a\u{1B}[2Jb", at: .zero)
        #expect(unsafeScalars(in: canvas).isEmpty)
        #expect(canvas.lines() == ["a␛[2Jb"])
    }

    @Test func oscTitleSequenceIsNeutralised() {
        var canvas = Canvas(width: 30, height: 1)
        canvas.put("\u{1B}]0;pwned\u{07}ok", at: .zero)
        #expect(unsafeScalars(in: canvas).isEmpty)
        #expect(canvas.lines() == ["␛]0;pwned␇ok"])
    }

    @Test func c1ControlsAndDeleteAreNeutralised() {
        var canvas = Canvas(width: 10, height: 1)
        canvas.put("a\u{9B}31mb\u{7F}", at: .zero)
        #expect(unsafeScalars(in: canvas).isEmpty)
        #expect(canvas.lines() == ["a\u{FFFD}31mb␡"])
    }

    @Test func bidiOverrideIsNeutralised() {
        var canvas = Canvas(width: 20, height: 1)
        canvas.put("abc\u{202E}fdp.exe", at: .zero)
        #expect(unsafeScalars(in: canvas).isEmpty)
        #expect(canvas.lines() == ["abc\u{FFFD}fdp.exe"])
        var isolates = Canvas(width: 10, height: 1)
        isolates.put("\u{2066}x\u{2069}", at: .zero)
        #expect(isolates.lines() == ["\u{FFFD}x\u{FFFD}"])
    }

    @Test func zeroWidthTricksAreMadeVisible() {
        var canvas = Canvas(width: 20, height: 1)
        canvas.put("ad\u{200B}min\u{FEFF}\u{2060}", at: .zero)
        #expect(unsafeScalars(in: canvas).isEmpty)
        #expect(canvas.lines() == ["ad\u{FFFD}min\u{FFFD}\u{FFFD}"])
        var joiner = Canvas(width: 10, height: 1)
        joiner.put("a\u{200D}b\u{200C}c", at: .zero)   // joiners outside emoji sequences
        #expect(joiner.lines() == ["a\u{FFFD}b\u{FFFD}c"])
    }

    @Test func emojiZeroWidthJoinerSequenceIsKept() {
        var canvas = Canvas(width: 4, height: 1)
        canvas.put("👨‍👩‍👧", at: .zero)
        #expect(canvas[0, 0].grapheme == "👨‍👩‍👧")
        #expect(canvas[1, 0].isContinuation)
    }

    @Test func newlinesAndTabsCannotMoveTheCursor() {
        var canvas = Canvas(width: 10, height: 2)
        canvas.put("a\r\nb\tc", at: .zero)
        #expect(canvas.lines() == ["a␍␊b␉c", ""])
    }

    @Test func sanitizeString() {
        #expect(TextSanitizer.sanitize("ok") == "ok")
        #expect(TextSanitizer.sanitize("\u{1B}[31mred") == "␛[31mred")
        #expect(TextSanitizer.sanitize("x\u{202E}y") == "x\u{FFFD}y")
        #expect(TextSanitizer.sanitize("👩‍💻") == "👩‍💻")
    }

    @Test func everyScalarOfEveryTrickIsCaught() {
        let tricks: [UInt32] = Array(0x00...0x1F) + [0x7F] + Array(0x80...0x9F) + Array(0x202A...0x202E)
            + Array(0x2066...0x2069) + Array(0x200B...0x200F) + Array(0x2060...0x2064) + [0xFEFF]
        for value in tricks {
            let scalar = Unicode.Scalar(value)!
            var canvas = Canvas(width: 3, height: 1)
            canvas.put("a" + String(Character(scalar)) + "b", at: .zero)
            #expect(unsafeScalars(in: canvas).isEmpty, "U+\(String(value, radix: 16)) reached a cell")
        }
    }

    /// Invisible look-alikes beyond the zero-width space: soft hyphen, combining grapheme joiner,
    /// Hangul fillers, Mongolian vowel separator, tags (“ASCII smuggling”). A name with them must
    /// not look like the name without them.
    @Test func otherInvisibleCharactersAreMadeVisible() {
        for value: UInt32 in [0x00AD, 0x034F, 0x115F, 0x1160, 0x180E, 0x3164, 0xFFA0, 0x1D173, 0xE0001, 0xE0041, 0xE007F] {
            let scalar = Unicode.Scalar(value)!
            var canvas = Canvas(width: 6, height: 1)
            canvas.put("ad" + String(Character(scalar)) + "min", at: .zero)
            #expect(canvas.lines() != ["admin"], "U+\(String(value, radix: 16)) hides in a name")
            #expect(unsafeScalars(in: canvas).isEmpty, "U+\(String(value, radix: 16)) reached a cell")
        }
    }

    @Test func emojiTagSequenceIsKept() {
        let scotland = "\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}"
        #expect(TextSanitizer.sanitize(scotland) == scotland)
        #expect(TextSanitizer.sanitize("a\u{E0067}b") == "a\u{FFFD}b")
    }

    @Test func asciiFallbacksForANonUTF8Locale() {
        let drawn = String(String.UnicodeScalarView("┌─┐│└┘├┤● ▏… × ↑↓ ▁▄█ é 你".unicodeScalars.map(ASCIIFallback.scalar(for:))))
        #expect(drawn == "+-+|++++* |. x ^v _.# ? ?")
        #expect("plain ascii ~".unicodeScalars.map(ASCIIFallback.scalar(for:)) == Array("plain ascii ~".unicodeScalars))
    }
}
