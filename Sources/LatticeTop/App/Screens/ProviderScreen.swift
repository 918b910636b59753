import Foundation
import LatticeProtocol
import LatticeSpy
import LatticeState
import TerminalUI

extension ScreenKind {
    public static let provider = ScreenKind("provider")
}

/// The provider health inspector (`enter` on a provider): health now, last check, uptime, host,
/// annotations and app, the links that use it, its recent wRPC traffic when the spy runs, the
/// equivalent wash command for each action, then the timeline of starts, failures (with the
/// host's messages), health changes and stops.
struct ProviderScreen: ScreenSpec {
    static let kind = ScreenKind.provider
    static var keys: [KeyBinding] { [.stopProvider] }
    static var reads: ViewInputs { [.state, .clock, .spy] }

    static func build(_ drill: DrillTarget?, in c: ViewContext) -> PaneView {
        c.model.providerInspector(host: drill?.hostID ?? "", id: drill?.itemID ?? "", now: c.now, spy: c.spy)
    }
}

extension Dashboard {
    func providerInspector(host: String, id: String, now: Date, spy: SpyData?) -> PaneView {
        let columns = [TableColumn("WHEN", width: .fixed(10)), TableColumn("AGO", width: .fixed(8), alignment: .right),
                       TableColumn("WHAT", width: .flex(weight: 3))]
        guard let p = state.hosts[host]?.providers[id] else {
            return PaneView(title: "Provider \(id)", columns: columns, rows: [], emptyMessage: "provider \(id) is no longer known")
        }
        let (health, healthRole) = Self.health(p, now: now)
        var rows: [PaneRow] = []
        func info(_ key: String, _ value: String, _ role: ThemeRole? = .dim) {
            rows.append(PaneRow(id: "info/\(key)/\(rows.count)", cells: ["", "", "\(key.padding(toLength: 14, withPad: " ", startingAt: 0)) \(value)"],
                                role: role, item: .provider(hostID: host, providerID: id)))
        }
        info("health", health + (p.healthSource.map { " (from the \($0.rawValue))" } ?? ""), healthRole)
        // 1.x reports every probe (passed / failed / status), so the latest report is the last check
        // unless a lifecycle event came after it.
        if let last = p.lastEventAt {
            info("last check", "\(Format.age(now.timeIntervalSince(last))) ago (\(ClockText.format(last, timeZone: timeZone)); latest health report or lifecycle event)")
        } else {
            info("last check", "none seen since latticetop started watching")
        }
        if let probe = p.lastProbe {
            info("last probe", "\(Format.age(now.timeIntervalSince(probe.at))) ago (\(ClockText.format(probe.at, timeZone: timeZone))): \(probe.outcome.summary)")
        } else if !p.isBuiltin {
            info("last probe", "none yet")
        }
        let liveness = state.hosts[host].map { Self.liveness($0.liveness, now: now).0 } ?? "?"
        info("host", "\(hostName(host)) \(host) — \(liveness)")
        info("image", p.imageRef ?? "-")
        if p.status.isRunning, let started = p.history.last(where: { if case .started = $0.kind { return true } else { return false } }) {
            info("uptime", "\(Format.age(now.timeIntervalSince(started.time))) (started \(ClockText.format(started.time, timeZone: timeZone)))")
        } else if p.status.isRunning {
            info("uptime", "running; its start was before latticetop started watching")
        } else {
            info("uptime", "not running")
        }
        let failures = p.history.filter {
            if case .startFailed = $0.kind { return true }
            return $0.isHealthFailure
        }
        if !failures.isEmpty || state.triage[host, id]?.incidents.isEmpty != false {
            info("failures", failures.isEmpty ? "none seen" : "\(failures.count) seen (see the timeline below)", failures.isEmpty ? .dim : .unhealthy)
        }
        if let f = p.lastStartFailure { info("last failure", "start failed \(Format.age(now.timeIntervalSince(f.at))) ago: \(f.error)", .unhealthy) }
        triageLines(host: host, id: id, now: now).forEach { info($0.field, $0.value, $0.role) }
        relations(id: id, application: p.application, annotations: p.annotations).forEach { info($0.field, $0.value) }
        spyLines(spy, id: id).forEach { info("spy", $0) }
        info("wash stop", OperateAction.stopProvider(hostID: host, providerID: id).washCommand)
        if let ref = p.imageRef {
            info("wash start", OperateAction.startProvider(StartProviderCommand(providerID: id, providerRef: ref, hostID: host)).washCommand)
        }
        info("wash inventory", "wash get inventory \(host)")
        for (i, e) in p.history.enumerated().reversed() {
            let what: String
            var role: ThemeRole?
            switch e.kind {
            case .started(let ref): what = "started \(ref)"
            case .startFailed(let error): what = "START FAILED: \(error)"; role = .unhealthy
            case .healthPassed: what = "host event: health check passed"; role = .healthy
            case .healthFailed: what = "host event: HEALTH CHECK FAILED (1.x hosts send no reason)"; role = .unhealthy
            case .probed(let outcome):
                what = "probe: \(outcome.summary)"
                switch outcome {
                case .healthy: role = .healthy
                case .unhealthy, .notAnswering: role = .unhealthy
                case .noHealthEndpoint: role = .warning
                }
            case .stopped(let reason): what = "stopped (\(reason))"; role = .dim
            }
            rows.append(PaneRow(id: "history/\(i)", cells: [ClockText.format(e.time, timeZone: timeZone), Format.age(now.timeIntervalSince(e.time)), what],
                                cellRoles: [nil, nil, role], item: .provider(hostID: host, providerID: id),
                                sortKeys: [0: .number(e.time.timeIntervalSince1970), 1: .number(now.timeIntervalSince(e.time))]))
        }
        return PaneView(title: "Provider \(id) on \(hostName(host)) — health inspector", columns: columns, rows: rows)
    }

    /// The inspector's triage: incidents within the window (from the replayed history and since),
    /// the flapping finding, and each incident.
    func triageLines(host: String, id: String, now: Date) -> [(field: String, value: String, role: ThemeRole?)] {
        let window = "last \(Format.age(state.configuration.triageWindow))"
        guard let record = state.triage[host, id], !record.incidents.isEmpty else {
            let seen = state.history.liveSince.map { _ in "none in the \(window) (history included)" } ?? "none since latticetop started watching"
            return [("incidents", seen, .dim)]
        }
        var lines: [(field: String, value: String, role: ThemeRole?)] = []
        let flapping = state.isFlapping(record)
        lines.append(("incidents", Self.incidentCounts(record) + " in the \(window)", flapping ? .unhealthy : .warning))
        if flapping {
            let c = state.configuration
            lines.append(("finding", "⚑ FLAPPING: \(record.densest(span: c.flappingSpan)) incidents within \(Format.age(c.flappingSpan)) (threshold \(c.flappingIncidents))", .unhealthy))
        }
        for incident in record.incidents.suffix(8).reversed() {
            var text = "\(ClockText.format(incident.at, timeZone: timeZone)) (\(Format.age(now.timeIntervalSince(incident.at))) ago)"
            if let ended = incident.ended { text += ", over after \(Format.age(ended.timeIntervalSince(incident.at)))" }
            else if incident.kind != .failedStart { text += ", still" }
            switch incident.kind {
            case .crash: text += ": silent while its host listed it " + (incident.detail.map { "(\($0))" } ?? "(last report then)")
            case .failedStart: text += incident.detail.map { ": \($0)" } ?? ""
            case .unhealthy: text += ": unhealthy verdicts"
            }
            lines.append(("  " + incident.kind.rawValue, text, incident.ended == nil && incident.kind != .failedStart ? .unhealthy : .dim))
        }
        return lines
    }

    /// The provider's recent wRPC traffic from the latest spy snapshot.
    func spyLines(_ spy: SpyData?, id: String) -> [String] {
        guard let spy else { return ["not running — open the Spy pane (8) to capture wRPC traffic"] }
        let mine = spy.snapshot.messages.filter { $0.source == id || $0.target == id || $0.targetID == id }
        guard !mine.isEmpty else { return ["no traffic to or from it in the capture"] }
        let errors = mine.filter(\.outcome.isError).count
        return ["\(mine.count) recent messages, \(errors) errors"]
            + mine.suffix(5).reversed().map { "\(ClockText.format($0.time, timeZone: timeZone, milliseconds: true))  \($0.source ?? "?") → \($0.target)  \($0.operation)  \(SpyTextFormat.outcome($0))" }
    }
}
