public enum InputEvent: Hashable, Sendable {
    case key(Key)
    /// Text pasted with bracketed paste (line breaks normalised to `\n`; not sanitised).
    case paste(String)
    /// The terminal now has this size; the next frame is drawn in full.
    case resize(Size)
}
