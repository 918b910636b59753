import TerminalUI

/// One entry of the key table: the keys, what they do, and whether they change the lattice.
/// Screens declare their own (`ScreenSpec.keys`); the table drives the handlers, the hint bar
/// and the `?` help, so they never drift; read-only mode drops every binding that `mutates`.
public struct KeyBinding: Sendable {
    public var keys: [Key]
    /// The key as shown in hints and help.
    public var keyLabel: String
    public var label: String
    public var command: AppCommand
    /// Changes the lattice (start/stop, scale, edit, delete …): read-only mode drops it.
    public var mutates: Bool
    /// Destroys or stops something: it always asks a confirm first (implies `mutates`).
    public var dangerous: Bool
    /// Shown in the hint bar (the help lists every binding).
    public var hint: Bool
    /// The help's longer text (else `label`).
    public var helpText: String?
    /// Also takes any shift-letter no binding before it takes, as `.sort(letter)`.
    public var sortsByShiftLetter = false

    public init(_ keys: [Key], _ keyLabel: String, _ label: String, _ command: AppCommand, mutates: Bool = false,
                dangerous: Bool = false, hint: Bool = true) {
        self.keys = keys
        self.keyLabel = keyLabel
        self.label = label
        self.command = command
        self.mutates = mutates || dangerous
        self.dangerous = dangerous
        self.hint = hint
    }

    /// What `key` asks for under this binding, nil when it is not this binding's key.
    public func command(for key: Key) -> AppCommand? {
        if keys.contains(key) { return command }
        if sortsByShiftLetter, case .character(let c) = key.code, key.modifiers.isEmpty, c.isUppercase, c.isLetter { return .sort(c) }
        return nil
    }
}

/// latticetop's keys (k9s conventions): the global ones, then the screen's own, then the pane
/// numbers and sorting.
public enum KeyTable {
    /// Every binding that applies on `screen`, in hint order.
    public static func bindings(for screen: ScreenKind, readOnly: Bool) -> [KeyBinding] {
        let spec = ViewRegistry.screen(screen)
        var all = navigation
        if spec.drillsDown { all.insert(details, at: 3) }
        if spec.pausable { all.insert(pause, at: all.count - 1) }
        all += spec.keys + timeTravel + panes + [sorting]
        return readOnly ? all.filter { !$0.mutates } : all
    }

    /// The binding for `key` on `screen`, if any.
    public static func binding(for key: Key, in screen: ScreenKind, readOnly: Bool) -> KeyBinding? {
        bindings(for: screen, readOnly: readOnly).first { $0.command(for: key) != nil }
    }

    static var panes: [KeyBinding] {
        PaneID.allCases.map { pane in
            KeyBinding([.character(Character(String(pane.number)))], String(pane.number), pane.title, .showPane(pane), hint: false)
        }
    }

    static let details = KeyBinding([.enter], "enter", "details", .drillDown)
    static let pause = KeyBinding([.character("p")], "p", "pause", .togglePause)

    /// Shift-letter sorts by the column whose title starts with it (again: reverses). Last, so
    /// a screen's own capital keys (`E`, `G`) come first.
    static let sorting: KeyBinding = {
        var b = KeyBinding([], "⇧A-Z", "sort", .sort("A"))
        b.helpText = "sort by the column starting with that letter (again: reverse)"
        b.sortsByShiftLetter = true
        return b
    }()

    static let navigation: [KeyBinding] = [
        KeyBinding([.character("?")], "?", "help", .toggleHelp),
        KeyBinding([.character(":")], ":", "command", .openCommandLine),
        KeyBinding([.character("/")], "/", "filter", .openFilter),
        KeyBinding([.escape], "esc", "back", .back),
        KeyBinding([.character("y")], "y", "raw JSON", .showRawJSON),
        KeyBinding([.tab], "tab", "next pane", .nextPane, hint: false),
        KeyBinding([.backTab], "shift-tab", "previous pane", .previousPane, hint: false),
        KeyBinding([.character("j"), .down], "j/↓", "down", .moveDown, hint: false),
        KeyBinding([.character("k"), .up], "k/↑", "up", .moveUp, hint: false),
        KeyBinding([.pageDown, .ctrl("f")], "pgdn", "page down", .pageDown, hint: false),
        KeyBinding([.pageUp, .ctrl("b")], "pgup", "page up", .pageUp, hint: false),
        KeyBinding([.home, .character("g")], "home/g", "first", .first, hint: false),
        KeyBinding([.end, .character("G")], "end/G", "last", .last, hint: false),
        KeyBinding([.character("q"), .ctrl("c")], "q", "quit", .quit),
    ]

    /// Through recorded time: `[` / `]` by change, `{` / `}` (shift) by a minute; esc or `:live`
    /// returns (`:at 10:42`, `:at -15m` jump).
    static let timeTravel: [KeyBinding] = {
        var back = KeyBinding([.character("[")], "[", "back in time", .travel(.step(-1)), hint: false)
        back.helpText = "back to the previous recorded change (the lattice as it was then; esc or :live returns)"
        var forward = KeyBinding([.character("]")], "]", "forward in time", .travel(.step(1)), hint: false)
        forward.helpText = "forward to the next recorded change (past the last one: live)"
        let minuteBack = KeyBinding([.character("{")], "{", "a minute back in time", .travel(.minutes(-1)), hint: false)
        let minuteForward = KeyBinding([.character("}")], "}", "a minute forward in time", .travel(.minutes(1)), hint: false)
        return [back, forward, minuteBack, minuteForward]
    }()
}
