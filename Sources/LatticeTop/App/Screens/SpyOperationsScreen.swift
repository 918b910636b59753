import Foundation
import LatticeProtocol
import LatticeSpy
import LatticeState
import TerminalUI

extension ScreenKind {
    public static let spyOperations = ScreenKind("spyOperations")
}

struct SpyOperationsScreen: ScreenSpec {
    static let kind = ScreenKind.spyOperations
    static var keys: [KeyBinding] { KeyBinding.spyKeys }
    static var pausable: Bool { true }
    static var reads: ViewInputs { [.spy] }

    static func build(_ drill: DrillTarget?, in c: ViewContext) -> PaneView {
        c.model.spyOperations(c.spy)
    }
}

extension Dashboard {
    func spyOperations(_ spy: SpyData?) -> PaneView {
        guard let spy else {
            return PaneView(title: "Spy — operations", columns: [TableColumn("")], rows: [], emptyMessage: "the spy is not running")
        }
        let scope = spy.scope
        let snapshot = spy.snapshot
        let columns = [TableColumn("OPERATION", width: .flex(weight: 3)), TableColumn("CALLS", width: .fixed(8), alignment: .right),
                       TableColumn("ERRORS", width: .fixed(7), alignment: .right), TableColumn("P50", width: .fixed(9), alignment: .right),
                       TableColumn("P99", width: .fixed(9), alignment: .right)]
        let rows = snapshot.operations.map { o in
            PaneRow(id: o.operation, cells: [o.operation, String(o.calls), String(o.errors),
                                             o.p50.map(SpyTextFormat.latency) ?? "-", o.p99.map(SpyTextFormat.latency) ?? "-"],
                    cellRoles: [nil, nil, o.errors > 0 ? .unhealthy : nil], item: .spyOperation(o.operation),
                    sortKeys: [1: .number(o.calls), 2: .number(o.errors), 3: .number(o.p50.map(Self.seconds)), 4: .number(o.p99.map(Self.seconds))])
        }
        return PaneView(title: "Spy \(scope) — operations", columns: columns, rows: rows, emptyMessage: "no calls yet")
    }

    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
}
