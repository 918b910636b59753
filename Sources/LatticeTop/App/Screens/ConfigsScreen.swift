import Foundation
import LatticeProtocol
import LatticeSpy
import LatticeState
import TerminalUI

extension PaneID {
    public static let config = PaneID("config")
}

extension ScreenKind {
    public static let configs = ScreenKind("configs")
}

struct ConfigsScreen: ScreenSpec {
    static let kind = ScreenKind.configs
    static let pane = PaneSpec(id: .config, title: "Config", commandNames: ["config", "configs", "cfg"], screen: ConfigsScreen.self)
    static var keys: [KeyBinding] { KeyBinding.configKeys }
    static var drillsDown: Bool { true }

    static func build(_ drill: DrillTarget?, in c: ViewContext) -> PaneView {
        c.model.configView(now: c.now, revealed: c.revealed)
    }
}

extension KeyBinding {
    static let configKeys = [
        KeyBinding([.character("a")], "a", "new config", .operate(.addConfig), mutates: true),
        KeyBinding([.character("e")], "e", "edit config", .operate(.editConfig), mutates: true),
        KeyBinding([.character("E")], "E", "edit in $EDITOR", .operate(.editConfigInEditor), mutates: true),
        KeyBinding([.ctrl("d")], "ctrl-d", "delete config", .operate(.deleteConfig), dangerous: true),
        // Not a mutation: read-only keeps it.
        KeyBinding([.character("x")], "x", "reveal/mask", .revealSecret),
    ]
}

extension Dashboard {
    func configView(now: Date, revealed: Set<RevealedSecret> = []) -> PaneView {
        let columns = [TableColumn("NAME", width: .min(24)), TableColumn("KEYS", width: .fixed(5), alignment: .right),
                       TableColumn("VALUES", width: .flex(weight: 4, minimum: 20)), TableColumn("USED BY", width: .min(16))]
        let rows = state.sortedConfigs.map { c -> PaneRow in
            let values: String
            if c.isSecretReference { values = "(secret reference)" } else if let v = c.values {
                let shown = revealed.contains(RevealedSecret(config: c.name))
                values = v.sorted { $0.key < $1.key }.map { "\($0.key)=\(SecretMask.mask(key: $0.key, value: $0.value, revealed: shown))" }
                    .joined(separator: " ")
                    + (c.valuesAreStale ? "  (stale)" : "")
            } else {
                values = "(values not fetched yet)"
            }
            let users = state.linkReports.filter { $0.record.link.sourceConfig.contains(c.name) || $0.record.link.targetConfig.contains(c.name) }
                .map { $0.record.link.sourceID }
            return PaneRow(id: c.name, cells: [c.name, c.values.map { String($0.count) } ?? "?", values, Array(Set(users)).sorted().joined(separator: ",")],
                           role: changed(c.changedAt, now) ? .changed : nil, drill: .config(c.name), item: .config(c.name),
                           sortKeys: [1: .number(c.values?.count)])
        }
        let note = state.configNamesKnown ? "no named config" : "config names cannot be listed (no JetStream CONFIGDATA bucket)"
        return PaneView(title: "Config", columns: columns, rows: rows, emptyMessage: note)
    }
}
