import Testing
@testable import TerminalUI

@Suite struct CanvasTests {
    @Test func putWritesAndClipsToTheCanvas() {
        var canvas = Canvas(width: 5, height: 2)
        let end = canvas.put("hello world", at: Point(x: 1, y: 1))
        #expect(end == 5)
        #expect(canvas.lines() == ["", " hell"])
    }

    @Test func putClipsToARect() {
        var canvas = Canvas(width: 10, height: 1)
        canvas.put("abcdefgh", at: Point(x: 0, y: 0), clip: Rect(x: 2, y: 0, width: 3, height: 1))
        #expect(canvas.lines() == ["  cde"])
        canvas.put("xyz", at: Point(x: 0, y: 1))    // outside: nothing happens
        #expect(canvas.lines() == ["  cde"])
    }

    @Test func wideCharactersTakeTwoCells() {
        var canvas = Canvas(width: 6, height: 1)
        let end = canvas.put("漢字", at: .zero)
        #expect(end == 4)
        #expect(canvas[0, 0].width == 2)
        #expect(canvas[1, 0].isContinuation)
        #expect(canvas[2, 0].grapheme == "字")
        #expect(canvas.lines() == ["漢字"])
    }

    @Test func wideCharacterAtTheClipEdgeBecomesASpace() {
        var canvas = Canvas(width: 3, height: 1)
        canvas.fill(canvas.bounds, with: "x")
        canvas.put("a漢", at: .zero, clip: Rect(x: 0, y: 0, width: 2, height: 1))
        #expect(canvas.lines() == ["a x"])
    }

    @Test func combiningMarkAttachesToThePreviousCell() {
        var canvas = Canvas(width: 4, height: 1)
        canvas.put("e\u{0301}x", at: .zero)
        #expect(canvas[0, 0].grapheme == "e\u{0301}")
        #expect(canvas[1, 0].grapheme == "x")
        var degenerate = Canvas(width: 4, height: 1)
        degenerate.put("a\u{1B}\u{0301}", at: .zero)   // the mark after a control joins the placeholder
        #expect(degenerate.lines() == ["a␛\u{0301}"])
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var canvas = Canvas(width: 4, height: 1)
        canvas.put("漢字", at: .zero)
        canvas.put("x", at: Point(x: 1, y: 0))
        #expect(canvas.lines() == [" x字"])
        canvas.put("y", at: Point(x: 2, y: 0))
        #expect(canvas.lines() == [" xy"])
        #expect(!canvas[3, 0].isContinuation)
    }

    @Test func textCutsByDisplayWidthWithEllipsis() {
        var canvas = Canvas(width: 12, height: 3)
        #expect(canvas.text("hello world", at: .zero, maxWidth: 8) == 8)
        canvas.text("漢字漢字", at: Point(x: 0, y: 1), maxWidth: 5)
        canvas.text("short", at: Point(x: 0, y: 2), maxWidth: 8, alignment: .right)
        #expect(canvas.lines() == ["hello w…", "漢字…", "   short"])
    }

    @Test func textWithOddBudgetBeforeAWideCharacter() {
        var canvas = Canvas(width: 10, height: 1)
        canvas.text("a漢字漢字", at: .zero, maxWidth: 5)
        #expect(canvas.lines() == ["a漢…"])
    }

    @Test func fillAndLines() {
        var canvas = Canvas(width: 6, height: 4)
        canvas.border(canvas.bounds)
        canvas.horizontalLine(at: Point(x: 1, y: 2), length: 4, box: .double)
        #expect(canvas.lines() == ["┌────┐", "│    │", "│════│", "└────┘"])
        var vertical = Canvas(width: 1, height: 2)
        vertical.verticalLine(at: .zero, length: 2, box: .heavy)
        #expect(vertical.lines() == ["┃", "┃"])
    }

    @Test func stylesAreKeptPerCell() {
        var canvas = Canvas(width: 4, height: 1)
        let red = Style(foreground: .red, attributes: .bold)
        canvas.put("ab", at: .zero, style: red)
        #expect(canvas[0, 0].style == red)
        #expect(canvas[2, 0].style == .plain)
        canvas.setStyle(.plain, in: Rect(x: 1, y: 0, width: 1, height: 1))
        #expect(canvas[1, 0].style == .plain)
        #expect(canvas[1, 0].grapheme == "b")
    }

    @Test func diffListsChangedRuns() {
        var before = Canvas(width: 10, height: 3)
        before.put("hello", at: .zero)
        before.put("world", at: Point(x: 0, y: 2))
        var after = before
        after.put("J", at: .zero)
        after.put("xy", at: Point(x: 6, y: 1))
        after.put("world", at: Point(x: 0, y: 2), style: Style(foreground: .green))
        let runs = after.diff(from: before)
        #expect(runs.map(\.x) == [0, 6, 0])
        #expect(runs.map(\.y) == [0, 1, 2])
        #expect(runs.map(\.text) == ["J", "xy", "world"])
        #expect(before.diff(from: before).isEmpty)
    }

    @Test func diffIncludesBothHalvesOfAWideCharacter() {
        var before = Canvas(width: 4, height: 1)
        before.put("ab", at: .zero)
        var after = before
        after.put("漢", at: Point(x: 1, y: 0))
        let runs = after.diff(from: before)
        #expect(runs.count == 1)
        #expect(runs[0].x == 1)
        #expect(runs[0].cells.count == 2)
    }

    @Test func diffOfDifferentSizesIsEverything() {
        let small = Canvas(width: 2, height: 2)
        let big = Canvas(width: 3, height: 2)
        #expect(big.diff(from: small).count == 2)
        #expect(big.diff(from: small).allSatisfy { $0.cells.count == 3 })
    }

    @Test func resizeKeepsTheOverlap() {
        var canvas = Canvas(width: 4, height: 2)
        canvas.put("ab漢", at: .zero)
        canvas.resize(to: Size(width: 3, height: 1))
        #expect(canvas.lines() == ["ab"])   // the cut wide character is blanked
    }
}
