public enum HorizontalAlignment: String, Sendable, Hashable, CaseIterable {
    case left
    case center
    case right
}
