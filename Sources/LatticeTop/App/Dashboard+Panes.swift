import Foundation
import LatticeProtocol
import LatticeState
import TerminalUI

/// What the screens share: the dispatch to a screen's declaration, and the words for liveness,
/// health and findings that several screens show.
extension Dashboard {
    /// The pane as it should be shown now (before the user's filter and sort): the view of
    /// `drill` (the pane's list when nil), built by its screen's declaration from the model, the
    /// clock, the UI state that changes what is shown, and the latest spy snapshot. Pure; the UI
    /// loop caches it (`ViewCache`).
    func view(for pane: PaneID, drill: DrillTarget?, now: Date, paused: Bool, spy: SpyData? = nil,
              revealed: Set<RevealedSecret> = []) -> PaneView {
        let context = ViewContext(model: self, now: now, paused: paused, revealed: revealed, spy: spy)
        return ViewRegistry.screen(ScreenKind(pane: pane, drill: drill)).build(drill, in: context)
    }

    func changed(_ at: Date, _ now: Date) -> Bool { now.timeIntervalSince(at) < 3 }

    // MARK: Hosts


    static func liveness(_ l: HostLiveness, now: Date) -> (String, ThemeRole?) {
        var clock = RowClock(now: now)
        return liveness(l, clock: &clock)
    }

    static func liveness(_ l: HostLiveness, clock: inout RowClock) -> (String, ThemeRole?) {
        switch l {
        case .live: return ("● live", .healthy)
        case .stale(let since, let reason):
            let why = reason == .didNotAnswerPing ? "no ping reply" : "no heartbeat"
            return ("◌ stale \(clock.age(since: since)) (\(why))", .stale)
        case .stopped(let at): return ("■ stopped \(clock.age(since: at)) ago", .dim)
        }
    }


    // MARK: Components

    static func componentState(_ c: ComponentRecord) -> String {
        switch c.status {
        case .running: return "● \(c.maxInstances) max"
        case .scaleFailed(let error, _): return "✖ scale failed: \(error)"
        case .removed: return "removed"
        }
    }


    /// The wadm app, annotations and links of a component or provider, as detail lines.
    func relations(id: String, application: String?, annotations: [String: String]) -> [(field: String, value: String)] {
        var lines: [(field: String, value: String)] = []
        if let app = application { lines.append(("wadm app", "\(app) — changes here are reverted by wadm")) }
        if !annotations.isEmpty { lines.append(("annotations", Format.labels(annotations))) }
        let links = state.linkReports.map(\.record.link).filter { $0.sourceID == id || $0.target == id }
        if links.isEmpty { lines.append(("links", "none use it")) }
        lines += links.map { ("link", "\($0.sourceID) → \($0.target) \($0.witDescription) (\($0.name))") }
        return lines
    }

    func hostName(_ id: String) -> String { state.hosts[id]?.displayName ?? Format.shortID(id) }


    // MARK: Providers

    static func health(_ p: ProviderRecord, now: Date) -> (String, ThemeRole?) {
        var clock = RowClock(now: now)
        return health(p, clock: &clock)
    }

    static func health(_ p: ProviderRecord, clock: inout RowClock) -> (String, ThemeRole?) {
        switch p.status {
        case .stopped(let at, let reason): return ("■ stopped (\(reason)) \(clock.age(since: at)) ago", .dim)
        case .failedToStart(let error, let at): return ("✖ failed to start \(clock.age(since: at)) ago: \(error)", .unhealthy)
        case .notInInventory(let since): return ("? gone from inventory \(clock.age(since: since)) ago", .warning)
        case .running: break
        }
        switch p.health {
        case .healthy(let since): return ("✔ healthy \(clock.age(since: since))", .healthy)
        case .unhealthy(let since):
            return ("✖ UNHEALTHY \(clock.age(since: since))" + (p.healthMessage.map { ": \($0)" } ?? ""), .unhealthy)
        case .notAnswering(let since): return ("⌛ not answering health probe \(clock.age(since: since))", .unhealthy)
        case .noHealthEndpoint(let since): return ("? no health endpoint \(clock.age(since: since))", .warning)
        case .notReportedHealthy(let last, true): return ("⚠ never healthy (last report \(clock.age(since: last)) ago)", .unhealthy)
        case .notReportedHealthy(let last, false):
            // Only "unchanged" reports since we started watching: 1.x does not say which way.
            return ("? unknown: only 'unchanged' since watching (\(clock.age(since: last)) ago)", .warning)
        case .stale(let last, _):
            return ("⌛ no health report " + (last.map { "for \(clock.age(since: $0))" } ?? "yet"), .warning)
        case .pending: return ("… awaiting first check", nil)
        case .notProbed: return ("– builtin, not probed", .dim)
        case .notRunning: return ("■ not running", .dim)
        }
    }

    static func lastFailure(_ p: ProviderRecord, now: Date) -> String {
        var clock = RowClock(now: now)
        return lastFailure(p, clock: &clock)
    }

    static func lastFailure(_ p: ProviderRecord, clock: inout RowClock) -> String {
        if let f = p.lastStartFailure { return "start failed \(clock.age(since: f.at)) ago: \(f.error)" }
        if let e = p.history.last(where: \.isHealthFailure) {
            let what = if case .probed(let outcome) = e.kind { "probe: \(outcome.summary)" } else { "health failed" }
            return "\(what) \(clock.age(since: e.time)) ago"
        }
        return ""
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



    // MARK: Config



    // MARK: Apps



    // MARK: Events


}
