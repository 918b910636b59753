import Foundation
import LatticeProtocol
import LatticeSpy
import LatticeState
import TerminalUI

extension Dashboard {
    /// The pane as it should be shown now (before the user's filter and sort). Built once per
    /// change and second (the Spy pane, which moves on its own, every time).
    func view(for pane: PaneID, drill: DrillTarget?, now: Date, paused: Bool, spy: SpyCapture? = nil, spyScope: String = "",
              revealed: Set<RevealedSecret> = []) -> PaneView {
        if pane == .spy { return spyView(spy, scope: spyScope, drill: drill, now: now) }
        // The inspector's spy lines come from the capture too; the cache lasts a second at most.
        return cachedView(pane: pane, drill: drill, now: now, paused: paused, revealed: pane == .config ? revealed : []) {
            buildView(for: pane, drill: drill, now: now, paused: paused, spy: spy, revealed: revealed)
        }
    }

    private func buildView(for pane: PaneID, drill: DrillTarget?, now: Date, paused: Bool, spy: SpyCapture?,
                           revealed: Set<RevealedSecret>) -> PaneView {
        switch (pane, drill) {
        case (.hosts, .host(let id)?): return hostDetail(id, now: now)
        case (.hosts, .provider(let host, let id)?), (.providers, .provider(let host, let id)?):
            return providerInspector(host: host, id: id, now: now, spy: spy)
        case (.hosts, _): return hostsView(now: now)
        case (.components, _): return componentsView(now: now)
        case (.providers, _): return providersView(now: now)
        case (.links, .link(let id)?): return linkDetail(id, now: now)
        case (.links, _): return linksView(now: now)
        case (.config, .config(let name)?): return configDetail(name, revealed: revealed)
        case (.config, _): return configView(now: now, revealed: revealed)
        case (.apps, .app(let name)?): return appDetail(name, now: now)
        case (.apps, _): return appsView(now: now)
        case (.events, _): return eventsView(paused: paused)
        case (.spy, _): return spyView(nil, scope: "", drill: drill, now: now)
        }
    }

    private func changed(_ at: Date, _ now: Date) -> Bool { now.timeIntervalSince(at) < 3 }

    // MARK: Hosts

    func hostsView(now: Date) -> PaneView {
        let columns = [TableColumn("NAME", width: .min(17)), TableColumn("ID", width: .fixed(13)), TableColumn("KIND", width: .fixed(4)),
                       TableColumn("STATE", width: .min(25)), TableColumn("VERSION", width: .fixed(7)),
                       TableColumn("UPTIME", width: .fixed(6), alignment: .right), TableColumn("COMP", width: .fixed(4), alignment: .right),
                       TableColumn("PROV", width: .fixed(4), alignment: .right), TableColumn("LABELS", width: .flex(weight: 6, minimum: 10))]
        let rows = state.sortedHosts.map { h -> PaneRow in
            let (stateText, role) = Self.liveness(h.liveness, now: now)
            let uptime = h.uptimeSeconds.map { up in
                Format.age(TimeInterval(up) + (h.uptimeReportedAt.map { now.timeIntervalSince($0) } ?? 0))
            } ?? "-"
            return PaneRow(
                id: h.id,
                cells: [h.displayName, Format.shortID(h.id), h.isV2 ? "v2" : "v1", stateText, h.version ?? "-", h.liveness.isLive ? uptime : "-",
                        // v2 hosts cannot list what they run: their heartbeat's count, and no providers.
                        h.v2.map { String($0.componentCount) } ?? String(h.visibleComponents.count),
                        h.isV2 ? "-" : String(h.visibleProviders.count), Format.labels(h.labels)],
                role: role ?? (changed(h.changedAt, now) ? .changed : nil),
                cellRoles: [nil, nil, h.isV2 ? .warning : nil, role],
                drill: .host(h.id))
        }
        return PaneView(title: "Hosts", columns: columns, rows: rows, emptyMessage: "no hosts answered yet")
    }

    static func liveness(_ l: HostLiveness, now: Date) -> (String, ThemeRole?) {
        switch l {
        case .live: return ("● live", .healthy)
        case .stale(let since, let reason):
            let why = reason == .didNotAnswerPing ? "no ping reply" : "no heartbeat"
            return ("◌ stale \(Format.age(now.timeIntervalSince(since))) (\(why))", .stale)
        case .stopped(let at): return ("■ stopped \(Format.age(now.timeIntervalSince(at))) ago", .dim)
        }
    }

    func hostDetail(_ id: String, now: Date) -> PaneView {
        guard let d = state.drillDown(host: id) else {
            return PaneView(title: "Host \(Format.shortID(id))", columns: [TableColumn("")], rows: [], emptyMessage: "host \(id) is gone")
        }
        let columns = [TableColumn("KIND", width: .fixed(9)), TableColumn("ID", width: .min(22)), TableColumn("NAME", width: .min(12)),
                       TableColumn("STATE", width: .flex(weight: 2, minimum: 24)), TableColumn("APP", width: .min(14)),
                       TableColumn("IMAGE", width: .flex(weight: 3, minimum: 16))]
        var rows = d.components.map { c in
            PaneRow(id: "component/\(c.id)", cells: ["component", c.id, c.name ?? "", Self.componentState(c), c.application ?? "", c.imageRef],
                    role: changed(c.changedAt, now) ? .changed : nil, drill: nil)
        }
        rows += d.providers.map { p in
            let (health, role) = Self.health(p, now: now)
            return PaneRow(id: "provider/\(p.id)", cells: ["provider", p.id, p.name ?? "", health, p.application ?? "", p.imageRef ?? ""],
                           role: changed(p.changedAt, now) ? .changed : nil, cellRoles: [nil, nil, nil, role],
                           drill: .provider(hostID: id, providerID: p.id))
        }
        let (live, _) = Self.liveness(d.host.liveness, now: now)
        return PaneView(title: "Host \(d.host.displayName) \(Format.shortID(id)) — \(live)", columns: columns, rows: rows,
                        emptyMessage: "nothing runs on this host")
    }

    // MARK: Components

    static func componentState(_ c: ComponentRecord) -> String {
        switch c.status {
        case .running: return "● \(c.maxInstances) max"
        case .scaleFailed(let error, _): return "✖ scale failed: \(error)"
        case .removed: return "removed"
        }
    }

    func hostName(_ id: String) -> String { state.hosts[id]?.displayName ?? Format.shortID(id) }

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
                                         drill: .component(hostID: c.hostID, componentID: c.id)))
            }
        }
        let rows = ByteOrder.sortedIndices(keys).map { unordered[$0] }
        return PaneView(title: "Components", columns: columns, rows: rows, emptyMessage: "no components")
    }

    // MARK: Providers

    static func health(_ p: ProviderRecord, now: Date) -> (String, ThemeRole?) {
        switch p.status {
        case .stopped(let at, let reason): return ("■ stopped (\(reason)) \(Format.age(now.timeIntervalSince(at))) ago", .dim)
        case .failedToStart(let error, let at): return ("✖ failed to start \(Format.age(now.timeIntervalSince(at))) ago: \(error)", .unhealthy)
        case .notInInventory(let since): return ("? gone from inventory \(Format.age(now.timeIntervalSince(since))) ago", .warning)
        case .running: break
        }
        switch p.health {
        case .healthy(let since): return ("✔ healthy \(Format.age(now.timeIntervalSince(since)))", .healthy)
        case .unhealthy(let since): return ("✖ UNHEALTHY \(Format.age(now.timeIntervalSince(since)))", .unhealthy)
        case .notReportedHealthy(let last, true): return ("⚠ never healthy (last report \(Format.age(now.timeIntervalSince(last))) ago)", .unhealthy)
        case .notReportedHealthy(let last, false):
            // Only "unchanged" reports since we started watching: 1.x does not say which way.
            return ("? unknown: only 'unchanged' since watching (\(Format.age(now.timeIntervalSince(last))) ago)", .warning)
        case .stale(let last, _):
            return ("⌛ no health report " + (last.map { "for \(Format.age(now.timeIntervalSince($0)))" } ?? "yet"), .warning)
        case .pending: return ("… awaiting first check", nil)
        case .notProbed: return ("– builtin, not probed", .dim)
        case .notRunning: return ("■ not running", .dim)
        }
    }

    static func lastFailure(_ p: ProviderRecord, now: Date) -> String {
        if let f = p.lastStartFailure { return "start failed \(Format.age(now.timeIntervalSince(f.at))) ago: \(f.error)" }
        if let e = p.history.last(where: { if case .healthFailed = $0.kind { return true } else { return false } }) {
            return "health failed \(Format.age(now.timeIntervalSince(e.time))) ago"
        }
        return ""
    }

    func providersView(now: Date) -> PaneView {
        // HEALTH first and widest; what matters least comes last (dropped first on a narrow screen).
        let columns = [TableColumn("HEALTH", width: .flex(weight: 4, minimum: 27)), TableColumn("ID", width: .min(20)),
                       TableColumn("HOST", width: .min(17)), TableColumn("LAST FAILURE", width: .flex(weight: 2, minimum: 14)),
                       TableColumn("NAME", width: .min(10)), TableColumn("APP", width: .min(12)),
                       TableColumn("IMAGE", width: .flex(weight: 2, minimum: 16))]
        let rows = state.allProviders.map { p -> PaneRow in
            let (health, role) = Self.health(p, now: now)
            return PaneRow(id: "\(p.hostID)/\(p.id)",
                           cells: [health, p.id, hostName(p.hostID), Self.lastFailure(p, now: now), p.name ?? "", p.application ?? "",
                                   p.imageRef ?? ""],
                           role: changed(p.changedAt, now) ? .changed : nil, cellRoles: [role],
                           drill: .provider(hostID: p.hostID, providerID: p.id))
        }
        return PaneView(title: "Providers", columns: columns, rows: rows, emptyMessage: "no providers")
    }

    // MARK: Links

    static func describe(_ f: LinkFinding) -> String {
        switch f {
        case .sourceNotRunning(let id): return "source \(id) runs nowhere"
        case .targetNotRunning(let id): return "target \(id) runs nowhere"
        case .missingSourceConfig(let names): return "missing source config \(names.joined(separator: ","))"
        case .missingTargetConfig(let names): return "missing target config \(names.joined(separator: ","))"
        case .putRefused(let error, _): return "put refused: \(error)"
        case .ambiguousForDelete(let others): return "delete is ambiguous (\(others.count) other)"
        }
    }

    func linksView(now: Date) -> PaneView {
        let columns = [TableColumn("SOURCE", width: .min(18)), TableColumn("TARGET", width: .min(18)), TableColumn("WIT", width: .flex(weight: 2, minimum: 14)),
                       TableColumn("NAME", width: .fixed(8)), TableColumn("FINDINGS", width: .flex(weight: 4, minimum: 24)),
                       TableColumn("SRC CONFIG", width: .min(12)), TableColumn("TGT CONFIG", width: .min(12))]
        let rows = state.linkReports.map { r -> PaneRow in
            let l = r.record.link
            let problems = r.findings.filter(\.isProblem)
            let findings = r.findings.isEmpty ? "✔ ok" : (problems.isEmpty ? "ℹ " : "✖ ") + r.findings.map(Self.describe).joined(separator: "; ")
            return PaneRow(id: r.record.id.description,
                           cells: [l.sourceID, l.target, "\(l.witNamespace):\(l.witPackage)/\(l.interfaces.joined(separator: ","))", l.name,
                                   findings, l.sourceConfig.joined(separator: ","), l.targetConfig.joined(separator: ",")],
                           role: changed(r.record.changedAt, now) ? .changed : nil,
                           cellRoles: [nil, nil, nil, nil, problems.isEmpty ? .healthy : .unhealthy],
                           drill: .link(r.record.id.description))
        }
        return PaneView(title: "Links", columns: columns, rows: rows, emptyMessage: "no links")
    }

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
            rows.append(PaneRow(id: "\(field)/\(rows.count)", cells: [field, value], cellRoles: [nil, role]))
        }
        let running = state.runningIDs
        row("source", l.sourceID + (running.contains(l.sourceID) ? "" : "  (runs nowhere)"), running.contains(l.sourceID) ? nil : .warning)
        row("target", l.target + (running.contains(l.target) ? "" : "  (runs nowhere)"), running.contains(l.target) ? nil : .warning)
        row("link name", l.name)
        row("WIT", l.witDescription)
        for (field, names) in [("source config", l.sourceConfig), ("target config", l.targetConfig)] {
            if names.isEmpty { row(field, "-") }
            for name in names {
                let known = name.hasPrefix("SECRET") || state.configs[name]?.exists == true || !state.configNamesKnown
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

    // MARK: Config

    func configView(now: Date, revealed: Set<RevealedSecret> = []) -> PaneView {
        let columns = [TableColumn("NAME", width: .min(24)), TableColumn("KEYS", width: .fixed(5), alignment: .right),
                       TableColumn("VALUES", width: .flex(weight: 4, minimum: 20)), TableColumn("USED BY", width: .min(16))]
        let rows = state.sortedConfigs.map { c -> PaneRow in
            let values: String
            if c.isSecretReference { values = "(secret reference)" } else if let v = c.values {
                let shown = revealed.contains(RevealedSecret(config: c.name))
                values = v.sorted { $0.key < $1.key }.map { "\($0.key)=\(SecretMask.mask(key: $0.key, value: $0.value, revealed: shown))" }
                    .joined(separator: " ")
                    + (c.valuesAreStale ? "  (stale)" : "")
            } else {
                values = "(values not fetched yet)"
            }
            let users = state.linkReports.filter { $0.record.link.sourceConfig.contains(c.name) || $0.record.link.targetConfig.contains(c.name) }
                .map { $0.record.link.sourceID }
            return PaneRow(id: c.name, cells: [c.name, c.values.map { String($0.count) } ?? "?", values, Array(Set(users)).sorted().joined(separator: ",")],
                           role: changed(c.changedAt, now) ? .changed : nil, drill: .config(c.name))
        }
        let note = state.configNamesKnown ? "no named config" : "config names cannot be listed (no JetStream CONFIGDATA bucket)"
        return PaneView(title: "Config", columns: columns, rows: rows, emptyMessage: note)
    }

    func configDetail(_ name: String, revealed: Set<RevealedSecret> = []) -> PaneView {
        let columns = [TableColumn("KEY", width: .min(20)), TableColumn("VALUE", width: .flex(weight: 3))]
        let values = state.configs[name]?.values ?? [:]
        let all = revealed.contains(RevealedSecret(config: name))
        let rows = values.sorted { $0.key < $1.key }.map {
            PaneRow(id: $0.key, cells: [$0.key, SecretMask.mask(key: $0.key, value: $0.value,
                                                                revealed: all || revealed.contains(RevealedSecret(config: name, key: $0.key)))])
        }
        return PaneView(title: "Config \(name)", columns: columns, rows: rows, emptyMessage: "no values known")
    }

    // MARK: Apps

    func appsView(now: Date) -> PaneView {
        let columns = [TableColumn("NAME", width: .min(18)), TableColumn("STATUS", width: .fixed(11)), TableColumn("VERSION", width: .fixed(10)),
                       TableColumn("DEPLOYED", width: .fixed(10)), TableColumn("COMP", width: .fixed(4), alignment: .right),
                       TableColumn("PROV", width: .fixed(4), alignment: .right), TableColumn("MESSAGE", width: .flex(weight: 4, minimum: 20))]
        let rows = state.sortedApplications.map { a -> PaneRow in
            let members = state.members(ofApplication: a.id)
            let role: ThemeRole? = {
                switch a.status {
                case .deployed: return .healthy
                case .failed, .unhealthy: return .unhealthy
                case .reconciling, .waiting: return .warning
                default: return nil
                }
            }()
            return PaneRow(id: a.id, cells: [a.id, a.status.wireValue, a.version ?? "", a.deployedVersion ?? "",
                                             String(members.components.count), String(members.providers.count),
                                             a.statusMessage.isEmpty ? (a.description ?? "") : a.statusMessage],
                           role: changed(a.changedAt, now) ? .changed : nil, cellRoles: [nil, role], drill: .app(a.id))
        }
        let note = state.wadmAvailable == false ? "wadm does not answer on this lattice" : "no applications"
        return PaneView(title: "Apps", columns: columns, rows: rows, emptyMessage: note)
    }

    func appDetail(_ name: String, now: Date) -> PaneView {
        let m = state.members(ofApplication: name)
        let columns = [TableColumn("KIND", width: .fixed(9)), TableColumn("ID", width: .min(20)), TableColumn("HOST", width: .min(16)),
                       TableColumn("STATE", width: .flex(weight: 2))]
        var rows = m.components.map {
            PaneRow(id: "c/\($0.hostID)/\($0.id)", cells: ["component", $0.id, hostName($0.hostID), Self.componentState($0)])
        }
        rows += m.providers.map { p in
            let (health, role) = Self.health(p, now: now)
            return PaneRow(id: "p/\(p.hostID)/\(p.id)", cells: ["provider", p.id, hostName(p.hostID), health], cellRoles: [nil, nil, nil, role],
                           drill: .provider(hostID: p.hostID, providerID: p.id))
        }
        return PaneView(title: "App \(name)", columns: columns, rows: rows, emptyMessage: "nothing of \(name) runs")
    }

    // MARK: Events

    func eventsView(paused: Bool) -> PaneView {
        let columns = [TableColumn("TIME", width: .fixed(8)), TableColumn("", width: .fixed(1)), TableColumn("HOST", width: .min(17)),
                       TableColumn("KIND", width: .fixed(22)), TableColumn("SUMMARY", width: .flex(weight: 6, minimum: 20))]
        let entries = (paused ? frozenEvents : nil) ?? state.eventLog.elements
        let base = state.eventLog.totalAppended - state.eventLog.count
        let rows = entries.enumerated().reversed().map { i, e -> PaneRow in
            let (glyph, role): (String, ThemeRole?) = {
                switch e.severity {
                case .error: return ("✖", .unhealthy)
                case .warning: return ("⚠", .warning)
                case .info: return ("·", nil)
                case .debug: return (" ", .dim)
                }
            }()
            return PaneRow(id: "event/\(base + i)", cells: [Format.clock(e.time, timeZone: timeZone), glyph, e.hostID.map(hostName) ?? "", e.kind, e.summary],
                           role: e.severity == .debug ? .dim : nil, cellRoles: [nil, role, nil, nil, role], drill: nil)
        }
        var title = "Events"
        if state.counters.decodeErrors > 0 { title += " — \(state.counters.decodeErrors) malformed" }
        if !state.counters.unknownEventTypes.isEmpty { title += " — \(state.counters.unknownEventTypes.values.reduce(0, +)) unknown type" }
        if state.counters.droppedTotal > 0 { title += " — \(state.counters.droppedTotal) dropped" }
        return PaneView(title: title, columns: columns, rows: rows, emptyMessage: "no events yet")
    }

}
