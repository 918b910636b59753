import Foundation
import LatticeProtocol
import LatticeSpy
import LatticeState
import TerminalUI

extension ScreenKind {
    public static let config = ScreenKind("config")
}

struct ConfigScreen: ScreenSpec {
    static let kind = ScreenKind.config
    static var keys: [KeyBinding] { KeyBinding.configKeys }

    static func build(_ drill: DrillTarget?, in c: ViewContext) -> PaneView {
        c.model.configDetail(drill?.itemID ?? "", revealed: c.revealed)
    }
}

extension Dashboard {
    func configDetail(_ name: String, revealed: Set<RevealedSecret> = []) -> PaneView {
        let columns = [TableColumn("KEY", width: .min(20)), TableColumn("VALUE", width: .flex(weight: 3))]
        let values = state.configs[name]?.values ?? [:]
        let all = revealed.contains(RevealedSecret(config: name))
        let rows = values.sorted { $0.key < $1.key }.map {
            PaneRow(id: $0.key, cells: [$0.key, SecretMask.mask(key: $0.key, value: $0.value,
                                                                revealed: all || revealed.contains(RevealedSecret(config: name, key: $0.key)))],
                    item: .configValue(config: name, key: $0.key))
        }
        return PaneView(title: "Config \(name)", columns: columns, rows: rows, emptyMessage: "no values known")
    }
}
