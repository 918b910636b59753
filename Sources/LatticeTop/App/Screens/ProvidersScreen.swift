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

    static func build(_ drill: DrillTarget?, in c: ViewContext) -> PaneView {
        c.model.providersView(now: c.now)
    }
}

extension KeyBinding {
    static let startProvider = KeyBinding([.character("s")], "s", "start provider", .operate(.startProvider), mutates: true)
    static let stopProvider = KeyBinding([.ctrl("d")], "ctrl-d", "stop provider", .operate(.stopProvider), dangerous: true)
}

extension Dashboard {
    func providersView(now: Date) -> PaneView {
        // HEALTH first and widest; what matters least comes last (dropped first on a narrow screen).
        let columns = [TableColumn("HEALTH", width: .flex(weight: 4, minimum: 27)), TableColumn("ID", width: .min(20)),
                       TableColumn("HOST", width: .min(17)), TableColumn("INCIDENTS", width: .flex(weight: 2, minimum: 15)),
                       TableColumn("LAST FAILURE", width: .flex(weight: 2, minimum: 14)),
                       TableColumn("NAME", width: .min(10)), TableColumn("APP", width: .min(12)),
                       TableColumn("IMAGE", width: .flex(weight: 2, minimum: 16))]
        let rows = state.allProviders.map { p -> PaneRow in
            let (health, role) = Self.health(p, now: now)
            let (incidents, incidentRole) = triageSummary(hostID: p.hostID, providerID: p.id)
            return PaneRow(id: "\(p.hostID)/\(p.id)",
                           cells: [health, p.id, hostName(p.hostID), incidents, Self.lastFailure(p, now: now), p.name ?? "", p.application ?? "",
                                   p.imageRef ?? ""],
                           role: changed(p.changedAt, now) ? .changed : nil, cellRoles: [role, nil, nil, incidentRole],
                           drill: .provider(hostID: p.hostID, providerID: p.id), item: .provider(hostID: p.hostID, providerID: p.id))
        }
        return PaneView(title: "Providers", columns: columns, rows: rows, emptyMessage: "no providers")
    }

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
