import Testing
@testable import TerminalUI

@Suite struct KeyDecoderTests {
    private func keys(_ bytes: [UInt8]) -> [InputEvent] {
        var decoder = KeyDecoder()
        return decoder.decode(bytes) + decoder.flush()
    }

    private func keys(_ text: String) -> [InputEvent] { keys(Array(text.utf8)) }

    @Test func textAndControlKeys() {
        #expect(keys("aZ 1") == [.key(.character("a")), .key(.character("Z")), .key(.space), .key(.character("1"))])
        #expect(keys([0x0D, 0x09, 0x7F, 0x08, 0x04, 0x00, 0x1C])
            == [.key(.enter), .key(.tab), .key(.backspace), .key(.backspace), .key(.ctrl("d")),
                .key(Key(.character(" "), modifiers: .ctrl)), .key(.ctrl("\\"))])
        #expect(keys("漢👍") == [.key(.character("漢")), .key(.character("👍"))])
    }

    @Test func escapeSequences() {
        #expect(keys("\u{1B}[A\u{1B}[B\u{1B}[C\u{1B}[D") == [.key(.up), .key(.down), .key(.right), .key(.left)])
        #expect(keys("\u{1B}OA\u{1B}OH\u{1B}OF") == [.key(.up), .key(.home), .key(.end)])
        #expect(keys("\u{1B}[H\u{1B}[F\u{1B}[1~\u{1B}[4~") == [.key(.home), .key(.end), .key(.home), .key(.end)])
        #expect(keys("\u{1B}[5~\u{1B}[6~\u{1B}[2~\u{1B}[3~") == [.key(.pageUp), .key(.pageDown), .key(.insert), .key(.delete)])
        #expect(keys("\u{1B}[Z") == [.key(.backTab)])
        #expect(keys("\u{1B}[1;5A\u{1B}[1;2D\u{1B}[3;3~") == [
            .key(Key(.up, modifiers: .ctrl)), .key(Key(.left, modifiers: .shift)), .key(Key(.delete, modifiers: .alt)),
        ])
    }

    @Test func functionKeys() {
        let sequences = ["\u{1B}OP", "\u{1B}OQ", "\u{1B}OR", "\u{1B}OS", "\u{1B}[15~", "\u{1B}[17~", "\u{1B}[18~",
                         "\u{1B}[19~", "\u{1B}[20~", "\u{1B}[21~", "\u{1B}[23~", "\u{1B}[24~"]
        #expect(keys(sequences.joined()) == (1...12).map { .key(.function($0)) })
        #expect(keys("\u{1B}[11~\u{1B}[[A\u{1B}[1;2P") == [.key(.function(1)), .key(.function(1)),
                                                           .key(Key(.function(1), modifiers: .shift))])
    }

    @Test func altIsAnEscapePrefix() {
        #expect(keys("\u{1B}x\u{1B}\u{04}\u{1B}\u{7F}") == [
            .key(.alt("x")), .key(Key(.character("d"), modifiers: [.ctrl, .alt])), .key(Key(.backspace, modifiers: .alt)),
        ])
    }

    @Test func sequencesSplitAcrossReads() {
        var decoder = KeyDecoder()
        #expect(decoder.decode([0x1B]).isEmpty)
        #expect(decoder.hasPendingInput)
        #expect(decoder.decode(Array("[".utf8)).isEmpty)
        #expect(decoder.decode(Array("1;5".utf8)).isEmpty)
        #expect(decoder.decode(Array("Cq".utf8)) == [.key(Key(.right, modifiers: .ctrl)), .key(.character("q"))])
        #expect(!decoder.hasPendingInput)
        // UTF-8 split in the middle of a character.
        let bytes = Array("漢".utf8)
        #expect(decoder.decode(bytes[0..<1]).isEmpty)
        #expect(decoder.decode(bytes[1..<2]).isEmpty)
        #expect(decoder.decode(bytes[2..<3]) == [.key(.character("漢"))])
        // Every split point of a mixed stream gives the same keys.
        let stream = Array("a\u{1B}[6~é\u{1B}OQ\u{1B}[1;2B".utf8)
        let expected: [InputEvent] = [.key(.character("a")), .key(.pageDown), .key(.character("é")), .key(.function(2)),
                                      .key(Key(.down, modifiers: .shift))]
        for split in 0...stream.count {
            var splitDecoder = KeyDecoder()
            let events = splitDecoder.decode(stream[..<split]) + splitDecoder.decode(stream[split...])
            #expect(events == expected, "split at \(split)")
        }
    }

    @Test func loneEscapeIsDeliveredOnFlush() {
        var decoder = KeyDecoder()
        #expect(decoder.decode([0x1B]).isEmpty)
        #expect(decoder.flush() == [.key(.escape)])
        #expect(decoder.flush().isEmpty)
        #expect(decoder.decode([0x1B, 0x1B]) == [.key(.escape)])
        #expect(decoder.flush() == [.key(.escape)])
        #expect(decoder.decode(Array("\u{1B}[".utf8)).isEmpty)
        #expect(decoder.flush() == [.key(.alt("["))])
    }

    @Test func bracketedPaste() {
        var decoder = KeyDecoder()
        let events = decoder.decode(Array("x\u{1B}[200~hello\r\n\u{1B}[A world\u{1B}[201~y".utf8))
        #expect(events == [.key(.character("x")), .paste("hello\n\u{1B}[A world"), .key(.character("y"))])
        // Split inside the end marker.
        #expect(decoder.decode(Array("\u{1B}[200~ab\u{1B}[20".utf8)).isEmpty)
        #expect(decoder.isInPaste)
        #expect(decoder.flush().isEmpty)   // a paste is not cut short by the escape timeout
        #expect(decoder.decode(Array("1~".utf8)) == [.paste("ab")])
    }

    @Test func invalidBytesBecomeReplacementAndUnknownSequencesAreDropped() {
        #expect(keys([0xFF, 0x61]) == [.key(.character("\u{FFFD}")), .key(.character("a"))])
        #expect(keys("\u{1B}[99~\u{1B}[?1;2cq") == [.key(.character("q"))])
    }

    @Test func keyNamesRoundTrip() {
        let samples: [Key] = [.ctrl("d"), .backTab, .alt("x"), .function(5), .pageDown, .character("N"), .space,
                              .escape, .character("-"), Key(.up, modifiers: [.ctrl, .shift]), .enter]
        for key in samples {
            #expect(Key(parsing: key.description) == key, "\(key)")
        }
        #expect(Key.ctrl("d").description == "ctrl-d")
        #expect(Key.character("N").description == "shift-n")
        #expect(Key.backTab.description == "shift-tab")
        #expect(Key(parsing: "shift-n") == .character("N"))
        #expect(Key(parsing: "Ctrl-D") == .ctrl("d"))
        #expect(Key(parsing: "nonsense") == nil)
    }
}
