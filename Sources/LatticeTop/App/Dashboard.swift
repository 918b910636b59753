import Foundation
import LatticeProtocol
import LatticeState
import Synchronization
import TerminalUI

/// The lattice state plus what the screen needs around it (connection facts, the frozen event
/// log while paused), and the mapping from state to panes. Pure except for `apply`.
struct Dashboard: Sendable {
    var state: LatticeState
    var lattice: String
    var server: String
    var context: String?
    var rttMilliseconds: Double?
    /// The zone of clock times in cells (`TZ`, else the system's; snapshot tests pin it to UTC).
    var timeZone: TimeZone = ClockText.zone()
    /// Bumped on every change, so views can be cached between changes.
    private(set) var version = 0
    /// The event log as it was when the Events pane was paused, with the number of entries
    /// appended before its first one (row IDs count from there, so they stay put while the live
    /// log goes on and wraps).
    private(set) var frozenEvents: (entries: [EventLogEntry], base: Int)?
    /// Event arrival times over the last seconds, for msgs/s.
    private var arrivals: [Date] = []
    /// The last pane view built; a new one with every change, so copies never share a stale view.
    private var viewCache = ViewCache()

    init(state: LatticeState = LatticeState(), lattice: String, server: String, context: String?) {
        self.state = state
        self.lattice = lattice
        self.server = server
        self.context = context
    }

    /// Folds inputs in; true when anything was applied.
    @discardableResult
    mutating func apply(_ inputs: [LatticeInput]) -> Bool {
        guard !inputs.isEmpty else { return false }
        state.apply(contentsOf: inputs)
        for input in inputs {
            switch input {
            case .event(_, let at), .undecodable(_, _, _, let at), .v2Heartbeat(_, _, let at): arrivals.append(at)
            default: break
            }
        }
        if let cutoff = inputs.last.flatMap(Self.time) {
            let from = cutoff.addingTimeInterval(-5)
            if let i = arrivals.firstIndex(where: { $0 >= from }), i > 0 { arrivals.removeFirst(i) }
        }
        version &+= 1
        viewCache = ViewCache(carrying: viewCache)
        return true
    }

    static func time(_ input: LatticeInput) -> Date? { input.at }

    mutating func freezeEvents(_ paused: Bool) {
        if paused {
            if frozenEvents == nil {
                frozenEvents = (state.eventLog.elements, state.eventLog.totalAppended - state.eventLog.count)
                viewCache = ViewCache()
            }
        } else {
            frozenEvents = nil
        }
    }

    /// The view for `key`, built by `build` unless the same one was built last (same pane, drill,
    /// pause, state version and second of the clock): a frame with nothing new costs no rebuild
    /// of a 10,000-row pane. Ages in cells move once a second, as the clock ticks.
    func cachedView(pane: PaneID, drill: DrillTarget?, now: Date, paused: Bool, revealed: Set<RevealedSecret> = [],
                    build: () -> PaneView) -> PaneView {
        ViewCache.view(in: viewCache.entry, key: viewKey(pane: pane, drill: drill, now: now, paused: paused, revealed: revealed),
                       reuseSameKey: true, build: build)
    }

    /// The Spy pane: its capture moves on its own, so it is rebuilt when the capture's counters
    /// (part of `scope`) or the second change; when building it is slow (thousands of rows under
    /// a flood) it is held as `mayReuse` says, and keys are answered between builds.
    func heldSpyView(drill: DrillTarget?, now: Date, paused: Bool, scope: String, build: () -> PaneView) -> PaneView {
        ViewCache.view(in: viewCache.spyEntry, key: viewKey(pane: .spy, drill: drill, now: now, paused: paused, scope: scope),
                       reuseSameKey: true, build: build)
    }

    private func viewKey(pane: PaneID, drill: DrillTarget?, now: Date, paused: Bool, revealed: Set<RevealedSecret> = [],
                         scope: String = "") -> ViewCache.Key {
        ViewCache.Key(pane: pane, drill: drill, paused: paused, version: version, second: Int64(now.timeIntervalSince1970.rounded(.down)),
                      timeZone: timeZone.identifier, revealed: revealed, scope: scope)
    }

    /// Providers that are known to be in trouble: unhealthy, never healthy since their start,
    /// silent, or failed to start. A provider whose health is merely unknown (we started watching
    /// after its last change) is not counted.
    static func unhealthyCount(_ state: LatticeState) -> Int {
        state.hosts.values.reduce(0) { sum, host in
            sum + host.providers.values.reduce(0) { n, p in
                if case .failedToStart = p.status { return n + 1 }
                guard p.status.isRunning else { return n }
                switch p.health {
                case .unhealthy, .stale, .notReportedHealthy(_, true), .notAnswering, .noHealthEndpoint: return n + 1
                default: return n
                }
            }
        }
    }

    /// The header's counts, computed once per change (not once per frame).
    func headerCounts() -> ViewCache.Counts {
        if let counts = viewCache.counts.withLock({ $0 }) { return counts }
        let counts = ViewCache.Counts(
            hosts: state.hosts.values.reduce(0) { $0 + ($1.liveness.isStopped ? 0 : 1) },
            components: state.runningComponentCount, providers: state.runningProviderCount,
            links: state.visibleLinkCount, unhealthy: Self.unhealthyCount(state))
        viewCache.counts.withLock { $0 = counts }
        return counts
    }

    var componentIDs: [String] { Array(Set(state.allComponents.map(\.id))).sorted() }

    // MARK: - Header

    func header(now: Date) -> HeaderInfo {
        let c = state.connection
        let connection: String
        var banner: String?
        var current = server
        switch c.status {
        case .connected(let url):
            connection = "connected"
            // The server connected to now (another cluster member after a failover), without the scheme.
            current = url.range(of: "://").map { String(url[$0.upperBound...]) } ?? url
        case .connecting: connection = "connecting"
        case .disconnected: connection = "DISCONNECTED"
        case .reconnecting(let attempt): connection = "RECONNECTING (#\(attempt))"
        case .closed: connection = "CLOSED"
        }
        if !c.isConnected {
            let since = c.since.map { " for " + Format.age(now.timeIntervalSince($0)) } ?? ""
            let ages = [("hosts", LatticeDataKind.hosts), ("links", .links), ("config", .configs)].compactMap { name, kind in
                state.dataAge(kind).map { "\(name) \(Format.age($0)) old" }
            }.joined(separator: ", ")
            banner = "NATS connection lost\(since) — \(connection.lowercased()); showing last known state" + (ages.isEmpty ? "" : " (\(ages))")
        }
        if banner == nil, state.history.isLoading, let progress = state.history.progress {
            banner = progress.summary { ClockText.format($0, timeZone: timeZone) }
        }
        let counts = headerCounts()
        let recent = arrivals.filter { now.timeIntervalSince($0) <= 5 }.count
        return HeaderInfo(
            context: context, lattice: lattice, server: current, connection: connection, connected: c.isConnected,
            rttMilliseconds: rttMilliseconds, hosts: counts.hosts, components: counts.components,
            providers: counts.providers, links: counts.links, unhealthy: counts.unhealthy,
            messagesPerSecond: Double(recent) / 5, banner: banner)
    }
}

/// One built pane view and what it was built for.
final class ViewCache: Sendable {
    /// One built view, when it was built and what building it cost.
    struct Built: Sendable {
        var key: Key
        var view: PaneView
        var builtAt: ContinuousClock.Instant
        var cost: Duration
    }

    /// A view that took at least this long to build (a pane of tens of thousands of rows) is
    /// rebuilt after a change at most once per five times its cost, and at least once a second:
    /// on a lattice that changes all the time the frame loop keeps answering keys instead of
    /// rebuilding one huge table after another. The header's counts are never held back.
    static let slowBuild = Duration.milliseconds(20)

    /// Whether `built` may stand in for `key`: the same pane, drill-down, pause, zone and revealed
    /// values, only a newer state or clock, while the slow view is younger than its hold time.
    static func mayReuse(_ built: Built, for key: Key, at now: ContinuousClock.Instant) -> Bool {
        guard built.cost >= slowBuild, built.key.pane == key.pane, built.key.drill == key.drill, built.key.paused == key.paused,
              built.key.timeZone == key.timeZone, built.key.revealed == key.revealed, built.key.scope == key.scope else { return false }
        return now - built.builtAt < min(.seconds(1), built.cost * 5)
    }

    /// The view held in `slot` when it is for `key` (and `reuseSameKey`) or may stand in for it
    /// (`mayReuse`); otherwise `build`'s, timed and kept in `slot`.
    static func view(in slot: borrowing Mutex<Built?>, key: Key, reuseSameKey: Bool, build: () -> PaneView) -> PaneView {
        let clock = ContinuousClock()
        if let built = slot.withLock({ $0 }), (reuseSameKey && built.key == key) || mayReuse(built, for: key, at: clock.now) {
            return built.view
        }
        let start = clock.now
        let view = build()
        let end = clock.now
        slot.withLock { $0 = Built(key: key, view: view, builtAt: end, cost: end - start) }
        return view
    }

    /// A cache for a new state version: nothing of it is current, but the last slow view may
    /// stand in for a moment (`mayReuse`).
    init(carrying previous: ViewCache? = nil) {
        entry = Mutex(previous?.entry.withLock { $0 })
        spyEntry = Mutex(previous?.spyEntry.withLock { $0 })
    }

    struct Key: Equatable, Sendable {
        var pane: PaneID
        var drill: DrillTarget?
        var paused: Bool
        var version: Int
        var second: Int64
        var timeZone: String
        /// Config values shown unmasked (`x`) change the Config pane without a new state.
        var revealed: Set<RevealedSecret> = []
        /// The Spy pane's capture and scope (its content moves without a state change).
        var scope: String = ""
    }

    /// The header's counts of one state version.
    struct Counts: Sendable {
        var hosts, components, providers, links, unhealthy: Int
    }

    let entry: Mutex<Built?>
    /// The Spy pane's last view: rebuilt every frame unless it is slow to build (`mayReuse`).
    let spyEntry: Mutex<Built?>
    let counts = Mutex<Counts?>(nil)
}

/// Small text formats for cells.
enum Format {
    static func age(_ seconds: TimeInterval) -> String {
        let s = Int(max(0, seconds))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(s % 60 > 0 ? "\(s % 60)s" : "")" }
        if s < 86_400 { return "\(s / 3600)h\((s % 3600) / 60 > 0 ? "\((s % 3600) / 60)m" : "")" }
        return "\(s / 86_400)d\((s % 86_400) / 3600 > 0 ? "\((s % 86_400) / 3600)h" : "")"
    }

    static func shortID(_ id: String) -> String {
        id.count > 14 ? String(id.prefix(12)) + "…" : id
    }

    static func labels(_ labels: [String: String]) -> String {
        labels.filter { !$0.key.hasPrefix("hostcore.") }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            .joined(separator: ",")
    }
}
