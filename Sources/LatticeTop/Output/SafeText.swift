import TerminalUI

/// Makes text from the network safe to print on a terminal: whatever `TextSanitizer` would not let
/// onto the dashboard's screen — control characters (C0, C1, DEL, and with them every escape
/// sequence), bidirectional overrides and isolates, and invisible zero-width characters — is
/// replaced by a visible placeholder (`?`), so nothing can move the cursor, retitle the window,
/// reorder what is shown or make one name look like another.
public enum SafeText {
    public static func sanitize(_ text: String) -> String {
        if TextSanitizer.isPlainASCII(text) { return text }
        guard text.unicodeScalars.contains(where: TextSanitizer.isUnsafe) else { return text }
        var out = String.UnicodeScalarView()
        for character in text {
            let allowsGlue = TextSanitizer.isEmojiSequence(character)
            for scalar in character.unicodeScalars {
                let unsafe = TextSanitizer.isUnsafe(scalar) && !(allowsGlue && TextSanitizer.isEmojiGlue(scalar))
                out.append(unsafe ? "?" : scalar)
            }
        }
        return String(out)
    }
}
