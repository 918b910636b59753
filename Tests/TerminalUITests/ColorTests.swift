import Testing
@testable import TerminalUI

@Suite struct ColorTests {
    @Test func parsesThemeColourSpellings() {
        #expect(Color(parsing: "default") == .default)
        #expect(Color(parsing: "red") == .ansi(.red))
        #expect(Color(parsing: "bright-red") == .ansi(.brightRed))
        #expect(Color(parsing: "brightBlue") == .ansi(.brightBlue))
        #expect(Color(parsing: "grey") == .ansi(.brightBlack))
        #expect(Color(parsing: "#ff8700") == .rgb(255, 135, 0))
        #expect(Color(parsing: "#0f0") == .rgb(0, 255, 0))
        #expect(Color(parsing: "208") == .indexed(208))
        #expect(Color(parsing: "color33") == .indexed(33))
        #expect(Color(parsing: "chartreuse") == nil)
        #expect(Color(parsing: "#12345") == nil)
        #expect(Color(parsing: "256") == nil)
    }

    @Test func truecolorDowngradesToTheNearest256And16Colours() {
        let orange = Color.rgb(255, 135, 0)
        #expect(orange.downgraded(to: .palette256) == .indexed(208))
        #expect(orange.downgraded(to: .ansi16) == .ansi(.brightYellow) || orange.downgraded(to: .ansi16) == .ansi(.yellow))
        let red = Color.rgb(255, 0, 0)
        #expect(red.downgraded(to: .palette256) == .indexed(196))
        #expect(red.downgraded(to: .ansi16) == .ansi(.brightRed))
        let steel = Color.rgb(0x5F, 0x87, 0xAF)
        #expect(steel.downgraded(to: .palette256) == .indexed(67))
        let grey = Color.rgb(0x80, 0x80, 0x80)
        #expect(grey.downgraded(to: .palette256) == .indexed(244))
        #expect(grey.downgraded(to: .ansi16) == .ansi(.brightBlack))
        let nearBlack = Color.rgb(0x08, 0x08, 0x08)
        #expect(nearBlack.downgraded(to: .palette256) == .indexed(232))
        #expect(Color.rgb(0x00, 0x2b, 0x36).downgraded(to: .ansi16) == .ansi(.black))
    }

    @Test func paletteColoursDowngradeTo16() {
        #expect(Color.indexed(9).downgraded(to: .ansi16) == .ansi(.brightRed))
        #expect(Color.indexed(196).downgraded(to: .ansi16) == .ansi(.brightRed))
        #expect(Color.indexed(21).downgraded(to: .ansi16) == .ansi(.blue) || Color.indexed(21).downgraded(to: .ansi16) == .ansi(.brightBlue))
        #expect(Color.ansi(.cyan).downgraded(to: .palette256) == .ansi(.cyan))
        #expect(Color.rgb(1, 2, 3).downgraded(to: .truecolor) == .rgb(1, 2, 3))
    }

    @Test func noColorKeepsOnlyBoldReverseUnderline() {
        let style = Style(foreground: .red, background: .default, attributes: [.bold, .italic, .dim, .underline])
        #expect(style.downgraded(to: .noColor) == Style(attributes: [.bold, .underline]))
        let selected = Style(foreground: .black, background: .cyan)
        #expect(selected.downgraded(to: .noColor) == Style(attributes: .reverse))   // a highlight stays visible
        let screen = Style(foreground: .ansi(.brightWhite), background: .black)
        #expect(screen.downgraded(to: .noColor) == .plain)
    }

    @Test func xtermPaletteValues() {
        #expect(XtermPalette.rgb(16) == RGB(0, 0, 0))
        #expect(XtermPalette.rgb(208) == RGB(255, 135, 0))
        #expect(XtermPalette.rgb(231) == RGB(255, 255, 255))
        #expect(XtermPalette.rgb(232) == RGB(8, 8, 8))
        #expect(XtermPalette.rgb(255) == RGB(238, 238, 238))
        for index in 16...255 {   // every palette colour maps back to itself (or an identical twin)
            let rgb = XtermPalette.rgb(UInt8(index))
            #expect(XtermPalette.rgb(XtermPalette.nearestIndex(to: rgb)) == rgb)
        }
    }

    @Test func colorDepthFromTheEnvironment() {
        #expect(ColorDepth.detect(environment: ["TERM": "xterm-256color", "COLORTERM": "truecolor"]) == .truecolor)
        #expect(ColorDepth.detect(environment: ["TERM": "xterm-256color", "COLORTERM": "24bit"]) == .truecolor)
        #expect(ColorDepth.detect(environment: ["TERM": "xterm-256color"]) == .palette256)
        #expect(ColorDepth.detect(environment: ["TERM": "tmux-256color"]) == .palette256)
        #expect(ColorDepth.detect(environment: ["TERM": "xterm-direct"]) == .truecolor)
        #expect(ColorDepth.detect(environment: ["TERM": "xterm"]) == .ansi16)
        #expect(ColorDepth.detect(environment: ["TERM": "linux"]) == .ansi16)
        #expect(ColorDepth.detect(environment: ["TERM": "dumb"]) == .noColor)
        #expect(ColorDepth.detect(environment: [:]) == .noColor)
        #expect(ColorDepth.detect(environment: ["TERM": ""]) == .noColor)
    }

    @Test func noColorEnvironmentWins() {
        #expect(ColorDepth.detect(environment: ["TERM": "xterm-256color", "COLORTERM": "truecolor", "NO_COLOR": "1"]) == .noColor)
        #expect(ColorDepth.detect(environment: ["TERM": "xterm", "NO_COLOR": "anything"]) == .noColor)
        // An empty NO_COLOR does not count (no-color.org).
        #expect(ColorDepth.detect(environment: ["TERM": "xterm-256color", "NO_COLOR": ""]) == .palette256)
    }

    @Test func depthNames() {
        #expect(ColorDepth(name: "256") == .palette256)
        #expect(ColorDepth(name: "truecolor") == .truecolor)
        #expect(ColorDepth(name: "none") == .noColor)
        #expect(ColorDepth.noColor < .ansi16 && .palette256 < .truecolor)
    }

    @Test func directColourMapping() {
        let direct = CursesColorMapping(depth: .truecolor, colorCount: 0x1000000)
        #expect(direct.number(for: .rgb(0x12, 0x34, 0x56)) == 0x123456)
        #expect(direct.number(for: .ansi(.red)) == 1)
        #expect(direct.number(for: .default) == -1)
        #expect(direct.number(for: .rgb(0, 0, 0)) == 8)   // 0–7 mean the ANSI colours there
        let palette = CursesColorMapping(depth: .palette256, colorCount: 256)
        #expect(palette.number(for: .rgb(255, 0, 0)) == 196)
        let eight = CursesColorMapping(depth: .ansi16, colorCount: 8)
        #expect(eight.number(for: .ansi(.brightRed)) == 1)
    }
}
