import Foundation
import LatticeProtocol
import LatticeSpy
import LatticeState
import TerminalUI

extension PaneID {
    public static let providers = PaneID("providers")
}

extension ScreenKind {
    public static let providers = ScreenKind("providers")
}

struct ProvidersScreen: ScreenSpec {
    static let kind = ScreenKind.providers
    static let pane = PaneSpec(id: .providers, title: "Providers", commandNames: ["providers", "provider", "prov", "pr"], screen: ProvidersScreen.self)
    static var keys: [KeyBinding] { [.startProvider, .stopProvider] }
    static var drillsDown: Bool { true }

}

extension KeyBinding {
    static let startProvider = KeyBinding([.character("s")], "s", "start provider", .operate(.startProvider), mutates: true)
    static let stopProvider = KeyBinding([.ctrl("d")], "ctrl-d", "stop provider", .operate(.stopProvider), dangerous: true)
}

extension ProvidersScreen: IncrementalScreen {
    // HEALTH first and widest; what matters least comes last (dropped first on a narrow screen).
    static let frame = PaneView(
        title: "Providers",
        columns: [TableColumn("HEALTH", width: .flex(weight: 4, minimum: 27)), TableColumn("ID", width: .min(20)),
                  TableColumn("HOST", width: .min(17)), TableColumn("INCIDENTS", width: .flex(weight: 2, minimum: 15)),
                  TableColumn("LAST FAILURE", width: .flex(weight: 2, minimum: 14)),
                  TableColumn("NAME", width: .min(10)), TableColumn("APP", width: .min(12)),
                  TableColumn("IMAGE", width: .flex(weight: 2, minimum: 16))],
        rows: [], emptyMessage: "no providers")

    static func groups(in c: RowContext) -> [RowGroup] { c.model.state.hosts.keys.map(RowGroup.host) }

    /// The providers on one host (with their triage), in the order of (provider, host).
    static func rows(of group: RowGroup, in c: inout RowContext) -> [(row: PaneRow, base: OrderKey)] {
        guard case .host(let id) = group, let host = c.model.state.hosts[id] else { return [] }
        var rows: [(row: PaneRow, base: OrderKey)] = []
        for p in host.providers.values {
            let (health, role) = Dashboard.health(p, clock: &c.clock)
            let (incidents, incidentRole) = c.model.triageSummary(hostID: p.hostID, providerID: p.id)
            let changed = c.clock.recent(p.changedAt)
            let row = PaneRow(id: "\(p.hostID)/\(p.id)",
                              cells: [health, p.id, host.displayName, incidents, Dashboard.lastFailure(p, clock: &c.clock), p.name ?? "",
                                      p.application ?? "", p.imageRef ?? ""],
                              role: changed ? .changed : nil, cellRoles: [role, nil, nil, incidentRole],
                              drill: .provider(hostID: p.hostID, providerID: p.id), item: .provider(hostID: p.hostID, providerID: p.id))
            var base = Array(p.id.utf8)
            base.append(0)
            base += p.hostID.utf8
            rows.append((row, OrderKey(base)))
        }
        return rows
    }
}

extension Dashboard {
    /// The Providers pane's INCIDENTS cell: `⚑ FLAPPING ×N` when incidents come thick, else the
    /// counts within the triage window (`2 crashes, 1 failed start, 1 unhealthy`).
    func triageSummary(hostID: String, providerID: String) -> (String, ThemeRole?) {
        guard let record = state.triage[hostID, providerID], !record.incidents.isEmpty else { return ("", nil) }
        if state.isFlapping(record) { return ("⚑ FLAPPING ×\(record.incidents.count)", .unhealthy) }
        return (Self.incidentCounts(record), .warning)
    }

    static func incidentCounts(_ record: ProviderTriageRecord) -> String {
        ProviderIncident.Kind.allCases.compactMap { kind -> String? in
            let n = record.count(kind)
            guard n > 0 else { return nil }
            switch kind {
            case .crash: return "\(n) crash\(n == 1 ? "" : "es")"
            case .failedStart: return "\(n) failed start\(n == 1 ? "" : "s")"
            case .unhealthy: return "\(n) unhealthy"
            }
        }.joined(separator: ", ")
    }
}
