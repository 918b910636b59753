import TerminalUI

/// What a key does in a modal mode (command line, filter, overlays, confirm, form).
public enum ModalCommand: Hashable, Sendable {
    case run, complete, cancel, keep, clear, deleteBack
    case close, scroll(Int), top
    case confirm, openApp
    case nextField, previousField, submit, changeChoice
}

/// The keys of the modal modes, declared like the screens' keys: their handlers look keys up
/// here, and the hint bar and help are made from the same lists. Typed text (the command line,
/// the filter, a form field) is what no binding takes.
public enum ModalKeys {
    public struct Binding: Sendable {
        public var keys: [Key]
        public var keyLabel: String
        public var label: String
        public var command: ModalCommand
        public var hint = true

        init(_ keys: [Key], _ keyLabel: String, _ label: String, _ command: ModalCommand, hint: Bool = true) {
            self.keys = keys
            self.keyLabel = keyLabel
            self.label = label
            self.command = command
            self.hint = hint
        }
    }

    public static let commandLine = [
        Binding([.enter], "enter", "run", .run),
        Binding([.tab], "tab", "complete", .complete),
        Binding([.escape], "esc", "cancel", .cancel),
        Binding([.backspace], "backspace", "delete (on empty: cancel)", .deleteBack, hint: false),
    ]

    public static let filter = [
        Binding([.enter], "enter", "keep", .keep),
        Binding([.escape], "esc", "clear", .clear),
        // `!` is typed text: a leading one inverts the filter.
        Binding([], "!", "invert", .keep),
        Binding([.backspace], "backspace", "delete", .deleteBack, hint: false),
    ]

    /// Help and text views (raw JSON, details).
    public static let overlay = [
        Binding([.escape, .character("q"), .character("?"), .ctrl("c")], "esc", "close", .close),
        Binding([.character("j"), .down, .character("k"), .up], "j/k", "scroll", .scroll(1)),
        Binding([.pageDown, .space], "pgdn", "page down", .scroll(10), hint: false),
        Binding([.pageUp], "pgup", "page up", .scroll(-10), hint: false),
        Binding([.home, .character("g")], "g", "top", .top, hint: false),
    ]

    /// A confirm: only `y` sends; `a` opens the wadm app when there is one; anything else cancels.
    public static let confirm = [
        Binding([.character("y")], "y", "confirm", .confirm),
        Binding([.character("a")], "a", "open app", .openApp),
        Binding([], "any other key", "cancel", .cancel),
    ]

    /// A form (the `FormState` widget carries these out).
    public static let form = [
        Binding([.tab, .down], "tab", "next field", .nextField),
        Binding([.backTab, .up], "shift-tab", "previous field", .previousField, hint: false),
        Binding([.left, .right, .space], "←/→", "change a choice / complete", .changeChoice, hint: false),
        Binding([.enter], "enter", "submit", .submit),
        Binding([.escape], "esc", "cancel", .cancel),
    ]

    /// The binding of `key` in `table`; scrolling up is `j/k`'s other half.
    static func command(for key: Key, in table: [Binding]) -> ModalCommand? {
        guard let b = table.first(where: { $0.keys.contains(key) }) else { return nil }
        if case .scroll = b.command, key == .character("k") || key == .up { return .scroll(-1) }
        return b.command
    }

    static func hints(_ table: [Binding]) -> [HintBar.Item] {
        table.filter(\.hint).map { HintBar.Item(key: $0.keyLabel, label: $0.label) }
    }

    /// The help's section for the modal modes.
    static var helpLines: [String] {
        [("In a form", form), ("In a confirm", confirm), ("Filter (/)", filter), ("Command line (:)", commandLine)].flatMap { title, table in
            ["", title] + table.map { "  " + $0.keyLabel.padding(toLength: 14, withPad: " ", startingAt: 0) + $0.label }
        }
    }
}
