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

}

extension KeyBinding {
    static let editLabels = KeyBinding([.character("l")], "l", "labels", .operate(.editLabels), mutates: true)
    static let stopHost = KeyBinding([.ctrl("d")], "ctrl-d", "stop host", .operate(.stopHost), dangerous: true)
}

extension HostsScreen: IncrementalScreen {
    static let frame = PaneView(
        title: "Hosts",
        columns: [TableColumn("NAME", width: .min(17)), TableColumn("ID", width: .fixed(13)), TableColumn("KIND", width: .fixed(4)),
                  TableColumn("STATE", width: .min(25)), TableColumn("VERSION", width: .fixed(7)),
                  TableColumn("UPTIME", width: .fixed(6), alignment: .right), TableColumn("COMP", width: .fixed(4), alignment: .right),
                  TableColumn("PROV", width: .fixed(4), alignment: .right), TableColumn("LABELS", width: .flex(weight: 6, minimum: 10))],
        rows: [], emptyMessage: "no hosts answered yet")

    static func groups(in c: RowContext) -> [RowGroup] { c.model.state.hosts.keys.map(RowGroup.host) }

    /// Its own fields and which components and providers it has, not their health.
    static var readsWorkloads: Bool { false }

    /// A host's row reads its own fields and how many components and providers it shows; a
    /// provider's health report or a component's new facts mark the host but leave its row.
    static func source(of group: RowGroup, in c: RowContext) -> RowSource? {
        guard case .host(let id) = group, let index = c.model.state.hosts.index(forKey: id) else { return nil }
        let h = c.model.state.hosts.values[index]
        return .host(h.ownFields, components: h.visibleComponentCount, providers: h.visibleProviderCount)
    }

    /// One row per host, in the order of (friendly name, ID).
    static func rows(of group: RowGroup, in c: inout RowContext) -> [(row: PaneRow, base: OrderKey)] {
        guard case .host(let id) = group, let h = c.model.state.hosts[id] else { return [] }
        let (stateText, role) = Dashboard.liveness(h.liveness, clock: &c.clock)
        // Uptime grows with the clock; it sorts by the start it implies, which does not.
        let reported = h.uptimeReportedAt?.timeIntervalSince1970 ?? 0
        let uptime = h.liveness.isLive ? (h.uptimeSeconds.map { c.clock.age(since: Date(timeIntervalSince1970: reported - Double($0))) } ?? "-") : "-"
        let upKey = h.liveness.isLive ? h.uptimeSeconds.map { Double($0) - reported } : nil
        // Counted once each, without building the sorted lists (a sync builds every host's row).
        let components = h.v2.map { Int($0.componentCount) } ?? h.visibleComponentCount
        let providers = h.isV2 ? nil : h.visibleProviderCount
        // The state's colour always stands (a host is live, stale or stopped), so a recent change
        // is never highlighted: not asked, or 10,000 rows would be rebuilt when it ends.
        let changed = role == nil && c.clock.recent(h.changedAt)
        let row = PaneRow(
            id: h.id,
            cells: [h.displayName, Format.shortID(h.id), h.isV2 ? "v2" : "v1", stateText, h.version ?? "-", uptime,
                    // v2 hosts cannot list what they run: their heartbeat's count, and no providers.
                    String(components), providers.map(String.init) ?? "-", Format.labels(h.labels)],
            role: role ?? (changed ? .changed : nil),
            cellRoles: [nil, nil, h.isV2 ? .warning : nil, role],
            drill: .host(h.id), item: .host(h.id),
            sortKeys: [5: .number(upKey), 6: .number(components), 7: .number(providers)])
        var base = Array(h.friendlyName.utf8)
        base.append(0)
        base += h.id.utf8
        return [(row, OrderKey(base))]
    }
}
