/// The 16 colours every colour terminal has; raw values are their palette indices.
public enum ANSIColor: UInt8, CaseIterable, Sendable, Hashable {
    case black, red, green, yellow, blue, magenta, cyan, white
    case brightBlack, brightRed, brightGreen, brightYellow, brightBlue, brightMagenta, brightCyan, brightWhite

    /// The name used in theme files: `red`, `bright-red`.
    public var name: String {
        switch self {
        case .black: "black"
        case .red: "red"
        case .green: "green"
        case .yellow: "yellow"
        case .blue: "blue"
        case .magenta: "magenta"
        case .cyan: "cyan"
        case .white: "white"
        case .brightBlack: "bright-black"
        case .brightRed: "bright-red"
        case .brightGreen: "bright-green"
        case .brightYellow: "bright-yellow"
        case .brightBlue: "bright-blue"
        case .brightMagenta: "bright-magenta"
        case .brightCyan: "bright-cyan"
        case .brightWhite: "bright-white"
        }
    }

    /// Accepts `bright-red`, `brightRed`, `bright_red`, `lightred`, and `gray`/`grey` for bright black.
    public init?(name: String) {
        let key = name.lowercased().filter { $0 != "-" && $0 != "_" && $0 != " " }
        switch key {
        case "gray", "grey", "darkgray", "darkgrey": self = .brightBlack
        case "lightgray", "lightgrey", "silver": self = .white
        default:
            let normalized = key.hasPrefix("light") ? "bright" + key.dropFirst(5) : key
            guard let match = ANSIColor.allCases.first(where: {
                $0.name.filter { $0 != "-" } == normalized
            }) else { return nil }
            self = match
        }
    }

    /// The xterm default RGB values, used to downgrade and to compare colours.
    public var rgb: RGB {
        switch self {
        case .black: RGB(0, 0, 0)
        case .red: RGB(205, 0, 0)
        case .green: RGB(0, 205, 0)
        case .yellow: RGB(205, 205, 0)
        case .blue: RGB(0, 0, 238)
        case .magenta: RGB(205, 0, 205)
        case .cyan: RGB(0, 205, 205)
        case .white: RGB(229, 229, 229)
        case .brightBlack: RGB(127, 127, 127)
        case .brightRed: RGB(255, 0, 0)
        case .brightGreen: RGB(0, 255, 0)
        case .brightYellow: RGB(255, 255, 0)
        case .brightBlue: RGB(92, 92, 255)
        case .brightMagenta: RGB(255, 0, 255)
        case .brightCyan: RGB(0, 255, 255)
        case .brightWhite: RGB(255, 255, 255)
        }
    }
}
