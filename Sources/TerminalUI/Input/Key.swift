/// A key press: a code plus modifiers. `description` spells it the way k9s does (`ctrl-d`,
/// `shift-tab`, `alt-x`, `F5`, `pgdn`, `shift-n`), and `Key(parsing:)` reads that spelling back, so key
/// tables, hints and config files can share one notation.
public struct Key: Hashable, Sendable, CustomStringConvertible {
    public var code: KeyCode
    public var modifiers: KeyModifiers

    public init(_ code: KeyCode, modifiers: KeyModifiers = []) {
        self.code = code
        self.modifiers = modifiers
    }

    public static func character(_ character: Character) -> Key { Key(.character(character)) }
    /// ctrl plus a letter or symbol; letters are stored lowercase.
    public static func ctrl(_ character: Character) -> Key {
        Key(.character(Character(character.lowercased())), modifiers: .ctrl)
    }
    public static func alt(_ character: Character) -> Key { Key(.character(character), modifiers: .alt) }
    public static func function(_ number: Int) -> Key { Key(.function(number)) }

    public static let enter = Key(.enter)
    public static let tab = Key(.tab)
    public static let backTab = Key(.tab, modifiers: .shift)
    public static let backspace = Key(.backspace)
    public static let escape = Key(.escape)
    public static let up = Key(.up)
    public static let down = Key(.down)
    public static let left = Key(.left)
    public static let right = Key(.right)
    public static let home = Key(.home)
    public static let end = Key(.end)
    public static let pageUp = Key(.pageUp)
    public static let pageDown = Key(.pageDown)
    public static let insert = Key(.insert)
    public static let delete = Key(.delete)
    public static let space = Key(.character(" "))

    /// The printable character of a key without ctrl or alt, e.g. for text fields.
    public var text: Character? {
        guard case .character(let character) = code, modifiers.isDisjoint(with: [.ctrl, .alt]) else { return nil }
        return character
    }

    public var description: String {
        var parts: [String] = []
        var name: String
        var modifiers = self.modifiers
        switch code {
        case .character(" "): name = "space"
        case .character(let character):
            if character.isASCII, character.isUppercase, character.isLetter {
                modifiers.insert(.shift)
                name = character.lowercased()
            } else {
                name = String(character)
            }
        case .enter: name = "enter"
        case .tab: name = "tab"
        case .backspace: name = "backspace"
        case .escape: name = "esc"
        case .up: name = "up"
        case .down: name = "down"
        case .left: name = "left"
        case .right: name = "right"
        case .home: name = "home"
        case .end: name = "end"
        case .pageUp: name = "pgup"
        case .pageDown: name = "pgdn"
        case .insert: name = "ins"
        case .delete: name = "del"
        case .function(let number): name = "F\(number)"
        }
        if modifiers.contains(.ctrl) { parts.append("ctrl") }
        if modifiers.contains(.alt) { parts.append("alt") }
        if modifiers.contains(.shift) { parts.append("shift") }
        parts.append(name)
        return parts.joined(separator: "-")
    }

    /// Reads `q`, `Q`, `shift-q`, `ctrl-d`, `alt-enter`, `F5`, `pgdn`, `shift-tab`, `space`, `esc`, `-`.
    public init?(parsing text: String) {
        var rest = Substring(text)
        var modifiers: KeyModifiers = []
        while rest.count > 1 {
            let lower = rest.lowercased()
            if lower.hasPrefix("ctrl-") || lower.hasPrefix("ctrl+") {
                modifiers.insert(.ctrl); rest = rest.dropFirst(5)
            } else if lower.hasPrefix("alt-") || lower.hasPrefix("alt+") {
                modifiers.insert(.alt); rest = rest.dropFirst(4)
            } else if lower.hasPrefix("shift-") || lower.hasPrefix("shift+") {
                modifiers.insert(.shift); rest = rest.dropFirst(6)
            } else {
                break
            }
        }
        guard !rest.isEmpty else { return nil }
        let named: [String: KeyCode] = [
            "enter": .enter, "return": .enter, "tab": .tab, "backspace": .backspace, "bs": .backspace,
            "esc": .escape, "escape": .escape, "up": .up, "down": .down, "left": .left, "right": .right,
            "home": .home, "end": .end, "pgup": .pageUp, "pageup": .pageUp, "pgdn": .pageDown,
            "pagedown": .pageDown, "ins": .insert, "insert": .insert, "del": .delete, "delete": .delete,
            "space": .character(" "),
        ]
        let lower = rest.lowercased()
        if rest.count == 1, let character = rest.first {
            if modifiers.contains(.ctrl) {
                self.init(.character(Character(character.lowercased())), modifiers: modifiers.subtracting(.shift))
            } else if modifiers.contains(.shift), character.isASCII, character.isLetter {
                self.init(.character(Character(character.uppercased())), modifiers: modifiers.subtracting(.shift))
            } else {
                self.init(.character(character), modifiers: modifiers)
            }
        } else if let code = named[lower] {
            self.init(code, modifiers: modifiers)
        } else if lower.hasPrefix("f"), let number = Int(lower.dropFirst()), (1...63).contains(number) {
            self.init(.function(number), modifiers: modifiers)
        } else {
            return nil
        }
    }
}
