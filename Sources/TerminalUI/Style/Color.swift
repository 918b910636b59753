/// A terminal colour: the terminal's default, one of the 16 ANSI colours, an xterm-256 palette
/// index, or truecolor RGB. Downgrade with `downgraded(to:)` for terminals that have fewer colours.
public enum Color: Hashable, Sendable, CustomStringConvertible {
    case `default`
    case ansi(ANSIColor)
    case indexed(UInt8)
    case rgb(RGB)

    public static func rgb(_ red: UInt8, _ green: UInt8, _ blue: UInt8) -> Color { .rgb(RGB(red, green, blue)) }

    public static let black = Color.ansi(.black)
    public static let red = Color.ansi(.red)
    public static let green = Color.ansi(.green)
    public static let yellow = Color.ansi(.yellow)
    public static let blue = Color.ansi(.blue)
    public static let magenta = Color.ansi(.magenta)
    public static let cyan = Color.ansi(.cyan)
    public static let white = Color.ansi(.white)

    /// Parses a theme value: `default`, an ANSI name (`red`, `bright-red`), `#rrggbb`, `#rgb`,
    /// a palette index `0`–`255`, or `color123`.
    public init?(parsing text: String) {
        let lower = String(text.lowercased().drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        if lower == "default" || lower == "none" || lower == "reset" {
            self = .default
        } else if lower.hasPrefix("#") {
            guard let rgb = RGB(hex: lower) else { return nil }
            self = .rgb(rgb)
        } else if let index = UInt8(lower) {
            self = .indexed(index)
        } else if lower.hasPrefix("color"), let index = UInt8(lower.dropFirst(5)) {
            self = .indexed(index)
        } else if let ansi = ANSIColor(name: lower) {
            self = .ansi(ansi)
        } else {
            return nil
        }
    }

    /// The theme-file spelling (`Color(parsing:)` reads it back).
    public var description: String {
        switch self {
        case .default: "default"
        case .ansi(let ansi): ansi.name
        case .indexed(let index): "\(index)"
        case .rgb(let rgb): rgb.hex
        }
    }

    /// The RGB value this colour shows as on an xterm with its default palette (nil for `.default`).
    public var rgbValue: RGB? {
        switch self {
        case .default: nil
        case .ansi(let ansi): ansi.rgb
        case .indexed(let index): XtermPalette.rgb(index)
        case .rgb(let rgb): rgb
        }
    }

    /// This colour as a terminal with `depth` can show it.
    public func downgraded(to depth: ColorDepth) -> Color {
        switch (depth, self) {
        case (_, .default), (.truecolor, _): return self
        case (.noColor, _): return .default
        case (.palette256, .rgb(let rgb)): return .indexed(XtermPalette.nearestIndex(to: rgb))
        case (.palette256, _): return self
        case (.ansi16, .ansi): return self
        case (.ansi16, .indexed(let index)) where index < 16: return .ansi(ANSIColor(rawValue: index)!)
        case (.ansi16, _): return .ansi(XtermPalette.nearestANSI(to: rgbValue!))
        }
    }
}
