import Foundation
import LatticeProtocol
import LatticeSpy
import LatticeState
import TerminalUI

extension PaneID {
    public static let apps = PaneID("apps")
}

extension ScreenKind {
    public static let apps = ScreenKind("apps")
}

struct AppsScreen: ScreenSpec {
    static let kind = ScreenKind.apps
    static let pane = PaneSpec(id: .apps, title: "Apps", commandNames: ["apps", "app", "applications"], screen: AppsScreen.self)
    static var drillsDown: Bool { true }

    static func build(_ drill: DrillTarget?, in c: ViewContext) -> PaneView {
        c.model.appsView(now: c.now)
    }
}

extension Dashboard {
    func appsView(now: Date) -> PaneView {
        let columns = [TableColumn("NAME", width: .min(18)), TableColumn("STATUS", width: .fixed(11)), TableColumn("VERSION", width: .fixed(10)),
                       TableColumn("DEPLOYED", width: .fixed(10)), TableColumn("COMP", width: .fixed(4), alignment: .right),
                       TableColumn("PROV", width: .fixed(4), alignment: .right), TableColumn("MESSAGE", width: .flex(weight: 4, minimum: 20))]
        let rows = state.sortedApplications.map { a -> PaneRow in
            let members = state.members(ofApplication: a.id)
            let role: ThemeRole? = {
                switch a.status {
                case .deployed: return .healthy
                case .failed, .unhealthy: return .unhealthy
                case .reconciling, .waiting: return .warning
                default: return nil
                }
            }()
            return PaneRow(id: a.id, cells: [a.id, a.status.wireValue, a.version ?? "", a.deployedVersion ?? "",
                                             String(members.components.count), String(members.providers.count),
                                             a.statusMessage.isEmpty ? (a.description ?? "") : a.statusMessage],
                           role: changed(a.changedAt, now) ? .changed : nil, cellRoles: [nil, role], drill: .app(a.id), item: .app(a.id),
                           sortKeys: [4: .number(members.components.count), 5: .number(members.providers.count)])
        }
        let note = state.wadmAvailable == false ? "wadm does not answer on this lattice" : "no applications"
        return PaneView(title: "Apps", columns: columns, rows: rows, emptyMessage: note)
    }
}
