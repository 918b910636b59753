import Foundation
import LatticeProtocol
import LatticeSpy
import LatticeState
import TerminalUI

extension PaneID {
    public static let components = PaneID("components")
}

extension ScreenKind {
    public static let components = ScreenKind("components")
}

struct ComponentsScreen: ScreenSpec {
    static let kind = ScreenKind.components
    static let pane = PaneSpec(id: .components, title: "Components", commandNames: ["components", "component", "comp", "co"], screen: ComponentsScreen.self)
    static var keys: [KeyBinding] { [.scaleComponent, .updateComponent] }
    static var drillsDown: Bool { true }

}

extension KeyBinding {
    static let scaleComponent = KeyBinding([.character("c")], "c", "scale", .operate(.scaleComponent), mutates: true)
    static let updateComponent = KeyBinding([.character("u")], "u", "update image", .operate(.updateComponent), mutates: true)
}

extension ComponentsScreen: IncrementalScreen {
    // NAME (from signed claims, often empty) is the first to go on a narrow screen.
    static let frame = PaneView(
        title: "Components",
        columns: [TableColumn("ID", width: .min(24)), TableColumn("NAME", width: .flex(weight: 2, minimum: 0)),
                  TableColumn("HOST", width: .min(17)), TableColumn("STATE", width: .min(10)),
                  TableColumn("IMAGE", width: .flex(weight: 5, minimum: 12)), TableColumn("APP", width: .min(14))],
        rows: [], emptyMessage: "no components")

    static func groups(in c: RowContext) -> [RowGroup] { c.model.state.hosts.keys.map(RowGroup.host) }

    /// The components shown on one host, in the order of (component, host).
    static func rows(of group: RowGroup, in c: inout RowContext) -> [(row: PaneRow, base: OrderKey)] {
        guard case .host(let id) = group, let host = c.model.state.hosts[id] else { return [] }
        let name = host.displayName
        var rows: [(row: PaneRow, base: OrderKey)] = []
        for component in host.components.values where component.isVisible {
            let failed: Bool = { if case .scaleFailed = component.status { return true } else { return false } }()
            let changed = c.clock.recent(component.changedAt)
            let row = PaneRow(id: component.hostID + "/" + component.id,
                              cells: [component.id, component.name ?? "", name, Dashboard.componentState(component), component.imageRef,
                                      component.application ?? ""],
                              role: failed ? .unhealthy : (changed ? .changed : nil),
                              drill: .component(hostID: component.hostID, componentID: component.id),
                              item: .component(hostID: component.hostID, componentID: component.id))
            var base = Array(component.id.utf8)
            base.append(0)
            base += component.hostID.utf8
            rows.append((row, OrderKey(base)))
        }
        return rows
    }
}
