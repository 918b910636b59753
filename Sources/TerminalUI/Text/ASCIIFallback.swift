/// What to draw instead of a non-ASCII scalar on a terminal whose locale is not UTF-8 (`LANG=C`,
/// `POSIX`, a Latin-1 locale): borders become `+ - |`, the dashboard's glyphs their nearest ASCII
/// (`●` `*`, `▏` `|`, `…` `.`, `×` `x`, arrows `^ v < >`, sparkline blocks `_ . - = #`), and
/// anything else `?`, so such a terminal shows plain ASCII and never stray bytes of UTF-8.
public enum ASCIIFallback {
    public static func scalar(for scalar: Unicode.Scalar) -> Unicode.Scalar {
        let v = scalar.value
        if v >= 0x20 && v < 0x7F { return scalar }
        switch v {
        case 0x2500, 0x2501, 0x2504, 0x2505, 0x2508, 0x2509, 0x254C, 0x254D, 0x2550, 0x2574, 0x2576, 0x2578, 0x257A:
            return "-"
        case 0x2502, 0x2503, 0x2506, 0x2507, 0x250A, 0x250B, 0x254E, 0x254F, 0x2551, 0x2575, 0x2577, 0x2579, 0x257B,
             0x258F, 0x2595, 0x23B8, 0x23B9:
            return "|"
        case 0x2500...0x257F: return "+"                       // corners, tees, crosses
        case 0x2581, 0x2582: return "_"
        case 0x2583, 0x2584: return "."
        case 0x2585, 0x2586: return "-"
        case 0x2587: return "="
        case 0x2580...0x259F: return "#"                       // other blocks and shades
        case 0x25CF, 0x2022, 0x25C6, 0x2B24, 0x2605: return "*"  // ● • ◆ ⬤ ★
        case 0x25CB, 0x25EF, 0x25E6, 0x25C7: return "o"        // ○ ◯ ◦ ◇
        case 0x2026, 0x22EF: return "."                        // … ⋯
        case 0x00D7, 0x2715, 0x2717, 0x2718: return "x"        // × ✕ ✗ ✘
        case 0x2713, 0x2714: return "v"                        // ✓ ✔
        case 0x2191, 0x25B2, 0x25B4, 0x2B06: return "^"
        case 0x2193, 0x25BC, 0x25BE, 0x2B07: return "v"
        case 0x2190, 0x25C0, 0x25C2, 0x2039, 0x00AB: return "<"
        case 0x2192, 0x25B6, 0x25B8, 0x203A, 0x00BB: return ">"
        case 0x2013, 0x2014, 0x2015, 0x2212: return "-"        // – — ― −
        case 0x2018, 0x2019, 0x201A, 0x2032: return "'"
        case 0x201C, 0x201D, 0x201E, 0x2033: return "\""
        case 0x00A0, 0x2002...0x200A: return " "               // no-break and other spaces
        case 0x00B7: return "."
        case 0x00B5: return "u"                                // µ (µs)
        case 0x2264: return "<"
        case 0x2265: return ">"
        case 0x2248: return "~"
        default: return "?"
        }
    }
}
