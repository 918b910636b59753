import Foundation
import LatticeProtocol
import LatticeSpy
import LatticeState
import TerminalUI

extension PaneID {
    public static let links = PaneID("links")
}

extension ScreenKind {
    public static let links = ScreenKind("links")
}

struct LinksScreen: ScreenSpec {
    static let kind = ScreenKind.links
    static let pane = PaneSpec(id: .links, title: "Links", commandNames: ["links", "link", "li"], screen: LinksScreen.self)
    static var keys: [KeyBinding] { KeyBinding.linkKeys }
    static var drillsDown: Bool { true }

}

extension KeyBinding {
    static let linkKeys = [
        KeyBinding([.character("a")], "a", "add link", .operate(.addLink), mutates: true),
        KeyBinding([.character("e")], "e", "edit link", .operate(.editLink), mutates: true),
        KeyBinding([.ctrl("d")], "ctrl-d", "delete link", .operate(.deleteLink), dangerous: true),
        KeyBinding([.character("u")], "u", "undo link change", .operate(.undoLinkChange), mutates: true),
    ]
}

extension LinksScreen: IncrementalScreen {
    static let frame = PaneView(
        title: "Links",
        columns: [TableColumn("SOURCE", width: .min(18)), TableColumn("TARGET", width: .min(18)), TableColumn("WIT", width: .flex(weight: 2, minimum: 14)),
                  TableColumn("NAME", width: .fixed(8)), TableColumn("FINDINGS", width: .flex(weight: 4, minimum: 24)),
                  TableColumn("SRC CONFIG", width: .min(12)), TableColumn("TGT CONFIG", width: .min(12))],
        rows: [], emptyMessage: "no links")

    static var readsLinkReports: Bool { true }

    static func groups(in c: RowContext) -> [RowGroup] { c.links.map { $0.reports.keys.map(RowGroup.link) } ?? [] }

    /// One row per shown link, with its findings, in the order of its key.
    static func rows(of group: RowGroup, in c: inout RowContext) -> [(row: PaneRow, base: OrderKey)] {
        guard case .link(let key) = group, let r = c.links?.reports[key] else { return [] }
        let l = r.record.link
        let problems = r.findings.filter(\.isProblem)
        let findings = r.findings.isEmpty ? "✔ ok" : (problems.isEmpty ? "ℹ " : "✖ ") + r.findings.map(Dashboard.describe).joined(separator: "; ")
        let row = PaneRow(id: r.record.id.description,
                          cells: [l.sourceID, l.target, "\(l.witNamespace):\(l.witPackage)/\(l.interfaces.joined(separator: ","))", l.name,
                                  findings, l.sourceConfig.joined(separator: ","), l.targetConfig.joined(separator: ",")],
                          role: c.clock.recent(r.record.changedAt) ? .changed : nil,
                          cellRoles: [nil, nil, nil, nil, problems.isEmpty ? .healthy : .unhealthy],
                          drill: .link(r.record.id.description), item: .link(r.record.id.description))
        var base: [UInt8] = []
        LinkReportIndex.orderBytes(key, into: &base)
        return [(row, OrderKey(base))]
    }
}
