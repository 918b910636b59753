import Testing
@testable import TerminalUI

@Suite struct WidgetTests {
    @Test func hintBarDropsWholeHintsThatDoNotFit() {
        let bar = HintBar(items: [.init(key: "q", label: "Quit"), .init(.ctrl("d"), "Delete"), .init(key: "?", label: "Help")])
        var wide = Canvas(width: 40, height: 1)
        bar.render(in: wide.bounds, on: &wide, theme: .default)
        #expect(wide.lines() == ["<q> Quit  <ctrl-d> Delete  <?> Help"])
        #expect(wide[0, 0].style == Theme.default[.hintKey])
        #expect(wide[4, 0].style == Theme.default[.hintLabel])
        var narrow = Canvas(width: 24, height: 1)
        bar.render(in: narrow.bounds, on: &narrow, theme: .default)
        #expect(narrow.lines() == ["<q> Quit  …"])
    }

    @Test func tabBarHighlightsAndScrollsToTheSelectedTab() {
        var canvas = Canvas(width: 30, height: 1)
        TabBar(tabs: ["Hosts", "Components", "Links"], selected: 1).render(in: canvas.bounds, on: &canvas, theme: .default)
        #expect(canvas.lines() == [" Hosts   Components   Links"])
        #expect(canvas[8, 0].style == Theme.default[.tabActive])
        #expect(canvas[1, 0].style == Theme.default[.tabInactive])
        var narrow = Canvas(width: 16, height: 1)
        TabBar(tabs: ["Hosts", "Components", "Providers", "Links"], selected: 2).render(in: narrow.bounds, on: &narrow, theme: .default)
        #expect(narrow.lines()[0].hasPrefix("‹ Providers"))
        #expect(narrow.lines()[0].hasSuffix("›"))
    }

    @Test func panelDrawsATitledBorder() {
        var canvas = Canvas(width: 20, height: 3)
        let panel = Panel(title: "Hosts(3)")
        panel.render(in: canvas.bounds, on: &canvas, theme: .default)
        #expect(canvas.lines() == ["┌──── Hosts(3) ────┐", "│                  │", "└──────────────────┘"])
        #expect(panel.contentArea(of: canvas.bounds) == Rect(x: 1, y: 1, width: 18, height: 1))
    }

    @Test func dialogIsCentredWithButtons() {
        var canvas = Canvas(width: 40, height: 11)
        let dialog = Dialog(title: "Stop provider", message: ["Stop http-server on host N4X?"], buttons: ["Cancel", "Stop"], focusedButton: 1)
        dialog.render(in: canvas.bounds, on: &canvas, theme: .default)
        #expect(canvas.lines() == [
            "",
            "",
            "  ╭───────── Stop provider ─────────╮",
            "  │                                 │",
            "  │  Stop http-server on host N4X?  │",
            "  │                                 │",
            "  │      [ Cancel ]  [ Stop ]       │",
            "  ╰─────────────────────────────────╯",
            "",
            "",
            "",
        ])
        #expect(canvas[24, 6].style == Theme.default[.focusedButton])
        #expect(canvas[12, 6].style == Theme.default[.button])
    }

    @Test func textViewScrollsAndWraps() {
        var canvas = Canvas(width: 8, height: 2)
        TextView(lines: ["one", "two", "three"], offset: 1).render(in: canvas.bounds, on: &canvas, theme: .default)
        #expect(canvas.lines() == ["two", "three"])
        TextView(lines: ["a long line here"], wraps: true).render(in: canvas.bounds, on: &canvas, theme: .default)
        #expect(canvas.lines() == ["a long", "line"])
        TextView(lines: ["0123456789"], horizontalOffset: 3).render(in: canvas.bounds, on: &canvas, theme: .default)
        #expect(canvas.lines() == ["3456789", ""])
        #expect(TextView(lines: ["a", "b", "c"]).maxOffset(height: 2) == 1)
    }

    @Test func sparklineScalesToTheMaximum() {
        #expect(Sparkline.string([0, 1, 2, 3, 4, 5, 6, 7, 8], width: 20) == " ▁▂▃▄▅▆▇█")
        #expect(Sparkline.string([1, 2, 3, 4], width: 2) == "▆█")
        #expect(Sparkline.string([5, 10], width: 5, maximum: 20) == "▂▄")
        #expect(Sparkline.string([.nan, -1, 0], width: 3) == "   ")
        var canvas = Canvas(width: 6, height: 1)
        Sparkline(values: [1, 2]).render(in: canvas.bounds, on: &canvas, theme: .default)
        #expect(canvas.lines() == ["    ▄█"])
    }

    @Test func flashLineCutsLongMessages() {
        var canvas = Canvas(width: 20, height: 1)
        FlashLine("provider started on host NABC", kind: .info).render(in: canvas.bounds, on: &canvas, theme: .default)
        #expect(canvas.lines() == [" provider started o…"])
        FlashLine("boom\nsecond line", kind: .error).render(in: canvas.bounds, on: &canvas, theme: .default)
        #expect(canvas.lines() == [" boom second line"])
        #expect(canvas[1, 0].style == Theme.default[.flashError])
    }

    @Test func frameCoalescerCapsRateAndSkipsIdleFrames() {
        var coalescer = FrameCoalescer(maxFramesPerSecond: 30)
        var decisions: [Bool] = []
        decisions.append(coalescer.shouldRender(now: .zero))                        // first frame
        decisions.append(coalescer.shouldRender(now: .milliseconds(5)))             // nothing changed
        #expect(coalescer.timeUntilNextFrame(now: .milliseconds(5)) == nil)
        coalescer.markDirty()
        decisions.append(coalescer.shouldRender(now: .milliseconds(10)))            // too soon
        #expect(coalescer.timeUntilNextFrame(now: .milliseconds(10)) == .nanoseconds(33_333_333) - .milliseconds(10))
        decisions.append(coalescer.shouldRender(now: .milliseconds(34)))
        decisions.append(coalescer.shouldRender(dirty: false, now: .milliseconds(100)))
        decisions.append(coalescer.shouldRender(dirty: true, now: .milliseconds(100)))
        #expect(decisions == [true, false, false, true, false, true])
        // A burst of 1,000 changes over one second draws at most ~30 frames.
        var frames = 0
        for millisecond in 0..<1000 where coalescer.shouldRender(dirty: true, now: .milliseconds(200 + millisecond)) {
            frames += 1
        }
        #expect(frames <= 31 && frames >= 29)
    }

    /// A pace longer than the rate's interval spaces the frames asked with it; frames asked
    /// without it keep the rate's interval.
    @Test func frameCoalescerPacesTheFramesAskedWithAPace() {
        var coalescer = FrameCoalescer(maxFramesPerSecond: 30)
        let pace = Duration.milliseconds(250)
        var decisions: [Bool] = []
        decisions.append(coalescer.shouldRender(dirty: true, now: .zero, pace: pace))           // the first frame
        decisions.append(coalescer.shouldRender(dirty: true, now: .milliseconds(100), pace: pace))
        #expect(coalescer.timeUntilNextFrame(now: .milliseconds(100), pace: pace) == .milliseconds(150))
        #expect(coalescer.timeUntilNextFrame(now: .milliseconds(100)) == .zero)
        decisions.append(coalescer.shouldRender(now: .milliseconds(250), pace: pace))
        // Without the pace (all is in), the next frame may come after the rate's interval.
        decisions.append(coalescer.shouldRender(dirty: true, now: .milliseconds(290)))
        // A pace shorter than the rate's interval does not shorten it.
        decisions.append(coalescer.shouldRender(dirty: true, now: .milliseconds(300), pace: .milliseconds(1)))
        #expect(decisions == [true, false, true, true, false])
        var frames = 0
        for millisecond in 0..<1000 where coalescer.shouldRender(dirty: true, now: .milliseconds(400 + millisecond), pace: pace) {
            frames += 1
        }
        #expect(frames == 4)
    }
}
