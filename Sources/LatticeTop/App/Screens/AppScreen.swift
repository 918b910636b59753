import Foundation
import LatticeProtocol
import LatticeSpy
import LatticeState
import TerminalUI

extension ScreenKind {
    public static let app = ScreenKind("app")
}

struct AppScreen: ScreenSpec {
    static let kind = ScreenKind.app
    static var drillsDown: Bool { true }

    static func build(_ drill: DrillTarget?, in c: ViewContext) -> PaneView {
        c.model.appDetail(drill?.itemID ?? "", now: c.now)
    }
}

extension Dashboard {
    func appDetail(_ name: String, now: Date) -> PaneView {
        let m = state.members(ofApplication: name)
        let columns = [TableColumn("KIND", width: .fixed(9)), TableColumn("ID", width: .min(20)), TableColumn("HOST", width: .min(16)),
                       TableColumn("STATE", width: .flex(weight: 2))]
        var rows = m.components.map {
            PaneRow(id: "c/\($0.hostID)/\($0.id)", cells: ["component", $0.id, hostName($0.hostID), Self.componentState($0)],
                    drill: .component(hostID: $0.hostID, componentID: $0.id), item: .component(hostID: $0.hostID, componentID: $0.id))
        }
        rows += m.providers.map { p in
            let (health, role) = Self.health(p, now: now)
            return PaneRow(id: "p/\(p.hostID)/\(p.id)", cells: ["provider", p.id, hostName(p.hostID), health], cellRoles: [nil, nil, nil, role],
                           drill: .provider(hostID: p.hostID, providerID: p.id), item: .provider(hostID: p.hostID, providerID: p.id))
        }
        return PaneView(title: "App \(name)", columns: columns, rows: rows, emptyMessage: "nothing of \(name) runs")
    }
}
