import Foundation
import LatticeProtocol
import LatticeSpy
import LatticeState
import TerminalUI

extension PaneID {
    public static let hosts = PaneID("hosts")
}

extension ScreenKind {
    public static let hosts = ScreenKind("hosts")
}

struct HostsScreen: ScreenSpec {
    static let kind = ScreenKind.hosts
    static let pane = PaneSpec(id: .hosts, title: "Hosts", commandNames: ["hosts", "host", "ho"], screen: HostsScreen.self)
    static var keys: [KeyBinding] { [.editLabels, .stopHost] }
    static var drillsDown: Bool { true }

    static func build(_ drill: DrillTarget?, in c: ViewContext) -> PaneView {
        c.model.hostsView(now: c.now)
    }
}

extension KeyBinding {
    static let editLabels = KeyBinding([.character("l")], "l", "labels", .operate(.editLabels), mutates: true)
    static let stopHost = KeyBinding([.ctrl("d")], "ctrl-d", "stop host", .operate(.stopHost), dangerous: true)
}

extension Dashboard {
    func hostsView(now: Date) -> PaneView {
        let columns = [TableColumn("NAME", width: .min(17)), TableColumn("ID", width: .fixed(13)), TableColumn("KIND", width: .fixed(4)),
                       TableColumn("STATE", width: .min(25)), TableColumn("VERSION", width: .fixed(7)),
                       TableColumn("UPTIME", width: .fixed(6), alignment: .right), TableColumn("COMP", width: .fixed(4), alignment: .right),
                       TableColumn("PROV", width: .fixed(4), alignment: .right), TableColumn("LABELS", width: .flex(weight: 6, minimum: 10))]
        let rows = state.sortedHosts.map { h -> PaneRow in
            let (stateText, role) = Self.liveness(h.liveness, now: now)
            let upSeconds = h.uptimeSeconds.map { TimeInterval($0) + (h.uptimeReportedAt.map { now.timeIntervalSince($0) } ?? 0) }
            let uptime = upSeconds.map(Format.age) ?? "-"
            let components = h.v2.map { Int($0.componentCount) } ?? h.visibleComponents.count
            return PaneRow(
                id: h.id,
                cells: [h.displayName, Format.shortID(h.id), h.isV2 ? "v2" : "v1", stateText, h.version ?? "-", h.liveness.isLive ? uptime : "-",
                        // v2 hosts cannot list what they run: their heartbeat's count, and no providers.
                        h.v2.map { String($0.componentCount) } ?? String(h.visibleComponents.count),
                        h.isV2 ? "-" : String(h.visibleProviders.count), Format.labels(h.labels)],
                role: role ?? (changed(h.changedAt, now) ? .changed : nil),
                cellRoles: [nil, nil, h.isV2 ? .warning : nil, role],
                drill: .host(h.id), item: .host(h.id),
                sortKeys: [5: .number(h.liveness.isLive ? upSeconds : nil), 6: .number(components),
                           7: .number(h.isV2 ? nil : h.visibleProviders.count)])
        }
        return PaneView(title: "Hosts", columns: columns, rows: rows, emptyMessage: "no hosts answered yet")
    }
}
