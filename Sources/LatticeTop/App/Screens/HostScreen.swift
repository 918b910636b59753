import Foundation
import LatticeProtocol
import LatticeSpy
import LatticeState
import TerminalUI

extension ScreenKind {
    public static let host = ScreenKind("host")
}

struct HostScreen: ScreenSpec {
    static let kind = ScreenKind.host
    static var keys: [KeyBinding] { [.editLabels, .stopHost] }
    static var drillsDown: Bool { true }

    static func build(_ drill: DrillTarget?, in c: ViewContext) -> PaneView {
        c.model.hostDetail(drill?.hostID ?? "", now: c.now)
    }
}

extension Dashboard {
    func hostDetail(_ id: String, now: Date) -> PaneView {
        guard let d = state.drillDown(host: id) else {
            return PaneView(title: "Host \(Format.shortID(id))", columns: [TableColumn("")], rows: [], emptyMessage: "host \(id) is gone")
        }
        let columns = [TableColumn("KIND", width: .fixed(9)), TableColumn("ID", width: .min(22)), TableColumn("NAME", width: .min(12)),
                       TableColumn("STATE", width: .flex(weight: 2, minimum: 24)), TableColumn("APP", width: .min(14)),
                       TableColumn("IMAGE", width: .flex(weight: 3, minimum: 16))]
        var rows = d.components.map { c in
            PaneRow(id: "component/\(c.id)", cells: ["component", c.id, c.name ?? "", Self.componentState(c), c.application ?? "", c.imageRef],
                    role: changed(c.changedAt, now) ? .changed : nil, drill: .component(hostID: id, componentID: c.id),
                    item: .component(hostID: id, componentID: c.id))
        }
        rows += d.providers.map { p in
            let (health, role) = Self.health(p, now: now)
            return PaneRow(id: "provider/\(p.id)", cells: ["provider", p.id, p.name ?? "", health, p.application ?? "", p.imageRef ?? ""],
                           role: changed(p.changedAt, now) ? .changed : nil, cellRoles: [nil, nil, nil, role],
                           drill: .provider(hostID: id, providerID: p.id), item: .provider(hostID: id, providerID: p.id))
        }
        let (live, _) = Self.liveness(d.host.liveness, now: now)
        return PaneView(title: "Host \(d.host.displayName) \(Format.shortID(id)) — \(live)", columns: columns, rows: rows,
                        emptyMessage: "nothing runs on this host")
    }
}
