import Foundation
import LatticeProtocol
import LatticeSpy
import LatticeState
import TerminalUI

extension ScreenKind {
    public static let link = ScreenKind("link")
}

struct LinkScreen: ScreenSpec {
    static let kind = ScreenKind.link
    static var keys: [KeyBinding] { KeyBinding.linkKeys }

    static func build(_ drill: DrillTarget?, in c: ViewContext) -> PaneView {
        c.model.linkDetail(drill?.itemID ?? "", now: c.now)
    }
}

extension Dashboard {
    /// One link: its whole definition, the named config it uses (and whether it exists), what
    /// is wrong with it, and the host's last refusal.
    func linkDetail(_ id: String, now: Date) -> PaneView {
        let columns = [TableColumn("FIELD", width: .fixed(16)), TableColumn("VALUE", width: .flex(weight: 3))]
        guard let report = state.linkReports.first(where: { $0.record.id.description == id }) else {
            return PaneView(title: "Link", columns: columns, rows: [], emptyMessage: "this link is gone")
        }
        let l = report.record.link
        var rows: [PaneRow] = []
        func row(_ field: String, _ value: String, _ role: ThemeRole? = nil) {
            rows.append(PaneRow(id: "\(field)/\(rows.count)", cells: [field, value], cellRoles: [nil, role], item: .link(id)))
        }
        let running = state.runningIDs
        row("source", l.sourceID + (running.contains(l.sourceID) ? "" : "  (runs nowhere)"), running.contains(l.sourceID) ? nil : .warning)
        row("target", l.target + (running.contains(l.target) ? "" : "  (runs nowhere)"), running.contains(l.target) ? nil : .warning)
        row("link name", l.name)
        row("WIT", l.witDescription)
        for (field, names) in [("source config", l.sourceConfig), ("target config", l.targetConfig)] {
            if names.isEmpty { row(field, "-") }
            for name in names {
                let known = SecretReference.isReference(name) || state.configs[name]?.exists == true || !state.configNamesKnown
                row(field, name + (known ? "" : "  (does not exist)"), known ? nil : .unhealthy)
            }
        }
        if report.findings.isEmpty { row("findings", "✔ none", .healthy) }
        for f in report.findings { row("finding", Self.describe(f), f.isProblem ? .unhealthy : nil) }
        row("changed", "\(Format.age(now.timeIntervalSince(report.record.changedAt))) ago")
        if report.record.isPresent {
            row("wash", OperateAction.putLink(l).washCommand)
            row("wash", OperateAction.deleteLink(DeleteInterfaceLinkDefinitionRequest(deleting: l)).washCommand)
        }
        return PaneView(title: "Link \(l.sourceID) → \(l.target) \(l.witNamespace):\(l.witPackage) (\(l.name))", columns: columns, rows: rows)
    }
}
