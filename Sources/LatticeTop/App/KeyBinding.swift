import TerminalUI

/// One entry of the key table: the keys, what they do, where, and whether they change the
/// lattice. The table drives the handlers, the hint bar and the `?` help, so they never drift;
/// read-only mode drops every `dangerous` binding.
public struct KeyBinding: Sendable {
    public var keys: [Key]
    /// The key as shown in hints and help.
    public var keyLabel: String
    public var label: String
    public var command: AppCommand
    /// Mutates the lattice (start/stop, scale, edit, delete …).
    public var dangerous: Bool
    /// Panes where it applies; nil = everywhere.
    public var panes: Set<PaneID>?
    /// Shown in the hint bar (the help lists every binding).
    public var hint: Bool

    public init(_ keys: [Key], _ keyLabel: String, _ label: String, _ command: AppCommand, dangerous: Bool = false,
                panes: Set<PaneID>? = nil, hint: Bool = true) {
        self.keys = keys
        self.keyLabel = keyLabel
        self.label = label
        self.command = command
        self.dangerous = dangerous
        self.panes = panes
        self.hint = hint
    }

    public func applies(to pane: PaneID) -> Bool { panes?.contains(pane) ?? true }
}

/// latticetop's keys (k9s conventions).
public enum KeyTable {
    public static func bindings(readOnly: Bool) -> [KeyBinding] {
        let all = navigation + operate + panes
        return readOnly ? all.filter { !$0.dangerous } : all
    }

    /// The binding for `key` in `pane`, if any.
    public static func binding(for key: Key, in pane: PaneID, readOnly: Bool) -> KeyBinding? {
        bindings(readOnly: readOnly).first { $0.applies(to: pane) && $0.keys.contains(key) }
    }

    static let panes: [KeyBinding] = PaneID.allCases.map { pane in
        KeyBinding([.character(Character(String(pane.rawValue)))], String(pane.rawValue), pane.title, .showPane(pane), hint: false)
    }

    /// Keys that change the lattice (all `dangerous`: read-only mode drops them everywhere).
    static let operate: [KeyBinding] = [
        KeyBinding([.character("s")], "s", "start provider", .operate(.startProvider), dangerous: true, panes: [.providers]),
        KeyBinding([.ctrl("d")], "ctrl-d", "stop provider", .operate(.stopProvider), dangerous: true, panes: [.providers]),
        KeyBinding([.character("c")], "c", "scale", .operate(.scaleComponent), dangerous: true, panes: [.components]),
        KeyBinding([.character("u")], "u", "update image", .operate(.updateComponent), dangerous: true, panes: [.components]),
        KeyBinding([.character("l")], "l", "labels", .operate(.editLabels), dangerous: true, panes: [.hosts]),
        KeyBinding([.ctrl("d")], "ctrl-d", "stop host", .operate(.stopHost), dangerous: true, panes: [.hosts]),
        KeyBinding([.character("a")], "a", "add link", .operate(.addLink), dangerous: true, panes: [.links]),
        KeyBinding([.character("e")], "e", "edit link", .operate(.editLink), dangerous: true, panes: [.links]),
        KeyBinding([.ctrl("d")], "ctrl-d", "delete link", .operate(.deleteLink), dangerous: true, panes: [.links]),
        KeyBinding([.character("u")], "u", "undo link change", .operate(.undoLinkChange), dangerous: true, panes: [.links]),
        KeyBinding([.character("a")], "a", "new config", .operate(.addConfig), dangerous: true, panes: [.config]),
        KeyBinding([.character("e")], "e", "edit config", .operate(.editConfig), dangerous: true, panes: [.config]),
        KeyBinding([.character("E")], "E", "edit in $EDITOR", .operate(.editConfigInEditor), dangerous: true, panes: [.config]),
        KeyBinding([.ctrl("d")], "ctrl-d", "delete config", .operate(.deleteConfig), dangerous: true, panes: [.config]),
    ]

    static let navigation: [KeyBinding] = [
        KeyBinding([.character("?")], "?", "help", .toggleHelp),
        KeyBinding([.character(":")], ":", "command", .openCommandLine),
        KeyBinding([.character("/")], "/", "filter", .openFilter),
        KeyBinding([.enter], "enter", "details", .drillDown, panes: [.hosts, .providers, .components, .links, .config, .apps, .events, .spy]),
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
        KeyBinding([.character("p")], "p", "pause", .togglePause, panes: [.events, .spy]),
        KeyBinding([.character("o")], "o", "operations", .spyOperations, panes: [.spy]),
        KeyBinding([.character("w")], "w", "save NDJSON", .saveSpy, panes: [.spy]),
        KeyBinding([.character("x")], "x", "reveal/mask", .revealSecret, panes: [.config]),
        KeyBinding([.character("q"), .ctrl("c")], "q", "quit", .quit),
    ]
}
