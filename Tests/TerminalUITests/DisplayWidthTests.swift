import Testing
@testable import TerminalUI

@Suite struct DisplayWidthTests {
    @Test func asciiIsOneCellPerCharacter() {
        #expect(DisplayWidth.of("hello, lattice") == 14)
        #expect("".displayWidth == 0)
    }

    @Test func cjkIsTwoCellsPerCharacter() {
        #expect(DisplayWidth.of("漢字") == 4)
        #expect(DisplayWidth.of("ｈｉ") == 4)          // fullwidth Latin
        #expect(DisplayWidth.of("한국어") == 6)
    }

    @Test func emojiPresentationIsTwoCells() {
        #expect(DisplayWidth.of("👍") == 2)
        #expect(DisplayWidth.of("👍🏽") == 2)          // with a skin-tone modifier
        #expect(DisplayWidth.of("❤️") == 2)           // text-default emoji made a picture by U+FE0F
        #expect(DisplayWidth.of("🇩🇪") == 2)           // flag: two regional indicators
    }

    @Test func combiningMarksAddNoWidth() {
        #expect(DisplayWidth.of("e\u{0301}") == 1)
        #expect(DisplayWidth.of("cafe\u{0301}") == 4)
        #expect(DisplayWidth.of(Character("e\u{0301}")) == 1)
    }

    @Test func zeroWidthJoinerSequencesAreOneEmoji() {
        #expect(DisplayWidth.of("👨‍👩‍👧") == 2)
        #expect(DisplayWidth.of("🏳️‍🌈") == 2)
        #expect(DisplayWidth.of("a👩‍💻b") == 4)
    }

    @Test func scalarWidths() {
        #expect(DisplayWidth.of(Unicode.Scalar(0x0301)!) == 0)
        #expect(DisplayWidth.of(Unicode.Scalar(0x200B)!) == 0)
        #expect(DisplayWidth.of(Unicode.Scalar(0x1160)!) == 0)
        #expect(DisplayWidth.of(Unicode.Scalar(0x4E00)!) == 2)
        #expect(DisplayWidth.of(Unicode.Scalar(0x20000)!) == 2)
        #expect(DisplayWidth.of(Unicode.Scalar(0x00E9)!) == 1)
        #expect(DisplayWidth.of(Unicode.Scalar(0x2500)!) == 1)    // box drawing
    }

    @Test func unsafeCharactersCountAsTheirOneCellPlaceholder() {
        #expect(DisplayWidth.of("a\u{1B}[2Jb") == 6)
        #expect(DisplayWidth.of("x\u{200B}y") == 3)
    }

    @Test func truncateCutsByDisplayWidthWithEllipsis() {
        #expect(DisplayWidth.truncate("hello world", to: 8) == "hello w…")
        #expect(DisplayWidth.truncate("hello", to: 5) == "hello")
        #expect(DisplayWidth.truncate("漢字漢字", to: 5) == "漢字…")
        #expect(DisplayWidth.truncate("漢字漢字", to: 4) == "漢…")
        #expect(DisplayWidth.truncate("abc", to: 0) == "")
    }

    @Test func wrapByDisplayWidth() {
        #expect(DisplayWidth.wrap("the quick brown fox", width: 10) == ["the quick", "brown fox"])
        #expect(DisplayWidth.wrap("漢字漢字漢字", width: 5) == ["漢字", "漢字", "漢字"])
        #expect(DisplayWidth.wrap("a\nb", width: 5) == ["a", "b"])
        #expect(DisplayWidth.expandTabs("a\tb") == "a   b")
    }
}
