/// How many colours the terminal shows. Ordered from fewest to most.
public enum ColorDepth: Int, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible {
    /// No colour at all (`NO_COLOR`, dumb terminals): only bold, reverse and underline remain.
    case noColor
    case ansi16
    case palette256
    case truecolor

    public static func < (lhs: ColorDepth, rhs: ColorDepth) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .noColor: "none"
        case .ansi16: "16"
        case .palette256: "256"
        case .truecolor: "truecolor"
        }
    }

    /// Reads `none`, `16`, `256`, `truecolor` (or `24bit`), e.g. from a `--colors` flag.
    public init?(name: String) {
        switch name.lowercased() {
        case "none", "no", "off", "mono", "monochrome", "0": self = .noColor
        case "16", "ansi", "8": self = .ansi16
        case "256", "palette": self = .palette256
        case "truecolor", "24bit", "direct", "rgb": self = .truecolor
        default: return nil
        }
    }

    /// The depth the environment asks for: `NO_COLOR` (any non-empty value) wins, then
    /// `COLORTERM=truecolor|24bit`, then `TERM` (`*-direct` truecolor, `*256color*` 256,
    /// unset/empty/`dumb` none, anything else 16).
    public static func detect(environment: [String: String]) -> ColorDepth {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .noColor }
        let term = (environment["TERM"] ?? "").lowercased()
        if term.isEmpty || term == "dumb" { return .noColor }
        let colorTerm = (environment["COLORTERM"] ?? "").lowercased()
        if colorTerm == "truecolor" || colorTerm == "24bit" { return .truecolor }
        if term.hasSuffix("-direct") || term.contains("truecolor") || term.contains("24bit") { return .truecolor }
        if term.contains("256color") || term.contains("256colour") { return .palette256 }
        if term == "vt100" || term == "vt220" || term == "vt52" { return .noColor }
        return .ansi16
    }
}
