/// Makes text from the network safe to print on a terminal: control characters (C0, C1, DEL —
/// and with them every escape sequence), bidirectional overrides and isolates, and invisible
/// zero-width characters are replaced by a visible `�`-free placeholder (`?`), so nothing can
/// move the cursor, retitle the window or reorder what is shown.
public enum SafeText {
    public static func sanitize(_ text: String) -> String {
        var needs = false
        for scalar in text.unicodeScalars where isUnsafe(scalar) {
            needs = true
            break
        }
        guard needs else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            out.append(isUnsafe(scalar) ? "?" : scalar)
        }
        return String(out)
    }

    static func isUnsafe(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x00...0x1F, 0x7F...0x9F: return true          // C0, DEL, C1 (ESC, CSI, OSC …)
        case 0x200B...0x200F: return true                    // zero-width space/joiners, LRM, RLM
        case 0x202A...0x202E: return true                    // bidi embeddings and overrides
        case 0x2060...0x2064, 0x2066...0x2069: return true   // word joiner, invisible operators, bidi isolates
        case 0xFEFF: return true                             // zero-width no-break space
        case 0xFFF9...0xFFFB: return true                    // interlinear annotations
        default: return false
        }
    }
}
