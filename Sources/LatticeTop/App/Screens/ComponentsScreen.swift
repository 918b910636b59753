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

    static func build(_ drill: DrillTarget?, in c: ViewContext) -> PaneView {
        c.model.componentsView(now: c.now)
    }
}

extension KeyBinding {
    static let scaleComponent = KeyBinding([.character("c")], "c", "scale", .operate(.scaleComponent), mutates: true)
    static let updateComponent = KeyBinding([.character("u")], "u", "update image", .operate(.updateComponent), mutates: true)
}

extension Dashboard {
    func componentsView(now: Date) -> PaneView {
        // NAME (from signed claims, often empty) is the first to go on a narrow screen.
        let columns = [TableColumn("ID", width: .min(24)), TableColumn("NAME", width: .flex(weight: 2, minimum: 0)),
                       TableColumn("HOST", width: .min(17)), TableColumn("STATE", width: .min(10)),
                       TableColumn("IMAGE", width: .flex(weight: 5, minimum: 12)), TableColumn("APP", width: .min(14))]
        // Rows are built straight from each host's records and ordered by (component, host) at
        // the end: a lattice of 10,000 components rebuilds this pane within a frame.
        var keys: [(String, String)] = [], unordered: [PaneRow] = []
        keys.reserveCapacity(state.hosts.count * 8)
        unordered.reserveCapacity(state.hosts.count * 8)
        for host in state.hosts.values {
            let name = host.displayName
            for c in host.components.values where c.isVisible {
                let failed: Bool = { if case .scaleFailed = c.status { return true } else { return false } }()
                keys.append((c.id, c.hostID))
                unordered.append(PaneRow(id: c.hostID + "/" + c.id, cells: [c.id, c.name ?? "", name, Self.componentState(c), c.imageRef,
                                                                          c.application ?? ""],
                                         role: failed ? .unhealthy : (changed(c.changedAt, now) ? .changed : nil),
                                         drill: .component(hostID: c.hostID, componentID: c.id),
                                         item: .component(hostID: c.hostID, componentID: c.id)))
            }
        }
        let rows = ByteOrder.sortedIndices(keys).map { unordered[$0] }
        return PaneView(title: "Components", columns: columns, rows: rows, emptyMessage: "no components")
    }
}
