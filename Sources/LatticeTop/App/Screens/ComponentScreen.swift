import Foundation
import LatticeProtocol
import LatticeSpy
import LatticeState
import TerminalUI

extension ScreenKind {
    public static let component = ScreenKind("component")
}

struct ComponentScreen: ScreenSpec {
    static let kind = ScreenKind.component
    static var keys: [KeyBinding] { [.scaleComponent, .updateComponent] }

    static func build(_ drill: DrillTarget?, in c: ViewContext) -> PaneView {
        c.model.componentDetail(host: drill?.hostID ?? "", id: drill?.itemID ?? "", now: c.now)
    }
}

extension Dashboard {
    /// One component on one host (`enter` on a component): what runs, from which image, the
    /// app that manages it, the links that name it, and the wash commands for it.
    func componentDetail(host: String, id: String, now: Date) -> PaneView {
        let columns = [TableColumn("FIELD", width: .fixed(16)), TableColumn("VALUE", width: .flex(weight: 3))]
        let item = RowItem.component(hostID: host, componentID: id)
        guard let c = state.hosts[host]?.components[id] else {
            return PaneView(title: "Component \(id)", columns: columns, rows: [], emptyMessage: "component \(id) is no longer known on that host")
        }
        var rows: [PaneRow] = []
        func row(_ field: String, _ value: String, _ role: ThemeRole? = nil) {
            rows.append(PaneRow(id: "\(field)/\(rows.count)", cells: [field, value], cellRoles: [nil, role], item: item))
        }
        let failed: Bool = { if case .scaleFailed = c.status { return true } else { return false } }()
        row("state", Self.componentState(c), failed ? .unhealthy : nil)
        row("host", "\(hostName(host)) \(host)")
        row("image", c.imageRef)
        row("name", c.name ?? "-")
        row("max instances", String(c.maxInstances))
        if c.revision != 0 { row("revision", String(c.revision)) }
        if let limits = c.limits, !limits.isEmpty { row("limits", Format.labels(limits)) }
        if let f = c.lastScaleFailure { row("last failure", "scale failed \(Format.age(now.timeIntervalSince(f.at))) ago: \(f.error)", .unhealthy) }
        relations(id: id, application: c.application, annotations: c.annotations).forEach { row($0.field, $0.value) }
        row("changed", "\(Format.age(now.timeIntervalSince(c.changedAt))) ago")
        row("wash scale", OperateAction.scaleComponent(ScaleComponentCommand(componentID: id, componentRef: c.imageRef, count: c.maxInstances,
                                                                              hostID: host)).washCommand)
        row("wash inventory", "wash get inventory \(host)")
        return PaneView(title: "Component \(id) on \(hostName(host))", columns: columns, rows: rows)
    }
}
