public enum KeyCode: Hashable, Sendable {
    /// Printable text: a letter, digit, symbol or space. Shifted letters are uppercase, with no `.shift`.
    case character(Character)
    case enter
    case tab
    case backspace
    case escape
    case up
    case down
    case left
    case right
    case home
    case end
    case pageUp
    case pageDown
    case insert
    case delete
    /// F1–F12 (and beyond, where terminals send them).
    case function(Int)
}
