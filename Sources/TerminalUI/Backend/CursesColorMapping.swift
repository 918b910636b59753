/// Turns a `Color` into a curses colour number for a terminal with `depth` and `colorCount` colours
/// (terminfo `colors`). -1 is the terminal default (`use_default_colors`).
struct CursesColorMapping: Sendable {
    var depth: ColorDepth
    var colorCount: Int

    func number(for color: Color) -> Int32 {
        let color = color.downgraded(to: depth)
        switch color {
        case .default:
            return -1
        case .ansi(let ansi):
            if depth == .truecolor && ansi.rawValue >= 8 { return packed(ansi.rgb) }
            return Int32(colorCount >= 16 ? ansi.rawValue : ansi.rawValue % 8)
        case .indexed(let index):
            if depth == .truecolor { return index < 8 ? Int32(index) : packed(XtermPalette.rgb(index)) }
            return Int32(index)
        case .rgb(let rgb):
            return packed(rgb)
        }
    }

    /// Direct-colour terminals (`*-direct` terminfo) take 0xRRGGBB; values below 8 mean the ANSI
    /// colours there, so near-black RGB values are nudged to 8.
    private func packed(_ rgb: RGB) -> Int32 {
        max(8, (Int32(rgb.red) << 16) | (Int32(rgb.green) << 8) | Int32(rgb.blue))
    }
}
