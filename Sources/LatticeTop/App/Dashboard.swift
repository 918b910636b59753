import Foundation
import LatticeProtocol
import LatticeState
import TerminalUI

/// The lattice state plus what the screen needs around it (connection facts, the frozen event
/// log while paused), and the mapping from state to panes. A value: `apply` folds inputs in, the
/// views are pure functions of it (the UI loop caches them, keyed by `version`: `ViewCache`).
struct Dashboard: Sendable {
    var state: LatticeState
    var lattice: String
    var server: String
    var context: String?
    var rttMilliseconds: Double?
    /// The zone of clock times in cells (`TZ`, else the system's; snapshot tests pin it to UTC).
    var timeZone: TimeZone = ClockText.zone()
    /// Bumped on every change (inputs applied, the Events pane frozen), so views can be cached
    /// between changes.
    private(set) var version = 0
    /// Bumped when the lattice's roster moves: a host appears or goes, a host's first inventory
    /// arrives, or a sync completes. A big view held for a newer state (`ViewCache`) stands in
    /// only briefly for a newer roster, so the first full picture is not held back.
    private(set) var roster = 0
    private var rosterShape = RosterShape()
    /// The event log as it was when the Events pane was paused, with the number of entries
    /// appended before its first one (row IDs count from there, so they stay put while the live
    /// log goes on and wraps).
    private(set) var frozenEvents: (entries: [EventLogEntry], base: Int)?
    /// Event arrival times over the last seconds, for msgs/s.
    private var arrivals: [Date] = []

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
        let shape = RosterShape(state)
        if shape != rosterShape {
            rosterShape = shape
            roster &+= 1
        }
        // Read in place: `for input in` would copy each input out (every field retained and
        // released) only to read its arrival.
        inputs.withUnsafeBufferPointer { inputs in
            for i in inputs.indices {
                switch inputs[i] {
                case .event(_, let at), .undecodable(_, _, _, let at), .v2Heartbeat(_, _, let at): arrivals.append(at)
                default: break
                }
            }
        }
        if let cutoff = inputs.last.flatMap(Self.time) {
            let from = cutoff.addingTimeInterval(-5)
            if let i = arrivals.firstIndex(where: { $0 >= from }), i > 0 { arrivals.removeFirst(i) }
        }
        version &+= 1
        return true
    }

    static func time(_ input: LatticeInput) -> Date? { input.at }

    mutating func freezeEvents(_ paused: Bool) {
        if paused {
            if frozenEvents == nil {
                frozenEvents = (state.eventLog.elements, state.eventLog.totalAppended - state.eventLog.count)
                version &+= 1
            }
        } else if frozenEvents != nil {
            frozenEvents = nil
            version &+= 1
        }
    }

    /// Providers that are known to be in trouble: unhealthy, never healthy since their start,
    /// silent, or failed to start. A provider whose health is merely unknown (we started watching
    /// after its last change) is not counted.
    static func unhealthyCount(_ state: LatticeState) -> Int {
        state.hosts.values.reduce(0) { sum, host in sum + host.providers.values.reduce(0) { $0 + ($1.isInTrouble ? 1 : 0) } }
    }

    /// The banner while the links cannot be listed. A listing that timed out (asked twice, the
    /// second time waiting longer) is most often one too big: a reply over the server's
    /// `max_payload` is dropped by the server and never arrives.
    static func linkListingBanner(_ failure: SyncFailure) -> String {
        var text = "links not listed: " + failure.message
        if failure.message.hasPrefix("timed out") {
            text += " — a big lattice's link list may exceed the NATS server's max_payload (1 MB by default; raise it) or need a longer --timeout"
        }
        return text
    }

    var componentIDs: [String] { Array(Set(state.allComponents.map(\.id))).sorted() }

    // MARK: - Header

    /// The header; `counts` are the state's (`HeaderCounts(state)`), counted once per version by
    /// the loop's `ViewCache`.
    func header(now: Date, counts: HeaderCounts? = nil) -> HeaderInfo {
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
        if banner == nil, let failure = state.sync.linkListingFailure {
            banner = Self.linkListingBanner(failure)
        }
        let counts = counts ?? HeaderCounts(state)
        let recent = arrivals.filter { now.timeIntervalSince($0) <= 5 }.count
        return HeaderInfo(
            context: context, lattice: lattice, server: current, connection: connection, connected: c.isConnected,
            rttMilliseconds: rttMilliseconds, hosts: counts.hosts, components: counts.components,
            providers: counts.providers, links: counts.links, unhealthy: counts.unhealthy,
            messagesPerSecond: Double(recent) / 5, banner: banner, syncing: Self.syncing(state))
    }

    /// `HeaderInfo.syncing` of `state`: nil unless its first sync runs.
    static func syncing(_ state: LatticeState) -> String? {
        guard state.sync.isRunning, state.sync.firstFinishedAt == nil else { return nil }
        return "⟳ syncing \(state.inventoriedHostCount)/\(state.hosts.count) inventoried"
    }
}

/// What the roster (`Dashboard.roster`) is made of: hosts, those with an inventory, and the
/// last complete sync.
struct RosterShape: Equatable {
    var hosts = 0
    var inventoried = 0
    var lastCompleteSync: Date?

    init() {}

    init(_ state: LatticeState) {
        hosts = state.hosts.count
        inventoried = state.inventoriedHostCount
        lastCompleteSync = state.sync.lastCompleteAt
    }
}

/// The header's counts of one state version.
struct HeaderCounts: Sendable, Equatable {
    var hosts, components, providers, links, unhealthy: Int

    init(hosts: Int, components: Int, providers: Int, links: Int, unhealthy: Int) {
        (self.hosts, self.components, self.providers, self.links, self.unhealthy) = (hosts, components, providers, links, unhealthy)
    }

    init(_ state: LatticeState) {
        hosts = state.hosts.values.reduce(0) { $0 + ($1.liveness.isStopped ? 0 : 1) }
        components = state.runningComponentCount
        providers = state.runningProviderCount
        links = state.visibleLinkCount
        unhealthy = Dashboard.unhealthyCount(state)
    }
}

/// The header's counts kept up to date: the hosts' totals as the reducer keeps them
/// (`LatticeState.hostTotals`: no pass over the hosts a round of health reports marked) and
/// the shown links from the state's change journal, rechecked only for the links marked since
/// — equal to `HeaderCounts(state)`.
struct HeaderTally {
    private(set) var revision: UInt64
    private var hosts: HostTotals
    private var visibleLinks = Set<LinkKey>()

    init(_ state: LatticeState) {
        revision = state.changes.revision
        hosts = state.hostTotals
        visibleLinks.reserveCapacity(state.links.count)
        for link in state.links.values where link.isVisible { visibleLinks.insert(link.id) }
    }

    var counts: HeaderCounts {
        HeaderCounts(hosts: Int(hosts.hosts), components: Int(hosts.runningComponents), providers: Int(hosts.runningProviders),
                     links: visibleLinks.count, unhealthy: Int(hosts.troubledProviders))
    }

    /// Brought to `state` (a later state of the same history), from scratch when the journal
    /// no longer reaches back.
    mutating func update(to state: LatticeState) {
        // The marked links read where the journal keeps them, and the set grown once to the
        // links there are (the first listing: 20,000 links, a set of them and a set grown
        // step by step were most of a frame's header).
        var visible = visibleLinks
        visibleLinks = []
        if visible.capacity < state.links.count { visible.reserveCapacity(state.links.count) }
        let known = state.changes.forEachLinkChange(since: revision) { key in
            if state.links[key]?.isVisible == true { visible.insert(key) } else { visible.remove(key) }
        }
        guard known else {
            self = HeaderTally(state)
            return
        }
        visibleLinks = visible
        revision = state.changes.revision
        hosts = state.hostTotals
    }
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
        // Without a filtered dictionary (every key hashed again) and a string a pair: each Hosts
        // row shows its host's labels, 10,000 rows built during a big lattice's first sync.
        var shown: [(key: String, value: String)] = []
        shown.reserveCapacity(labels.count)
        for pair in labels where !pair.key.hasPrefix("hostcore.") { shown.append(pair) }
        shown.sort { $0.key < $1.key }
        var text = ""
        for (i, pair) in shown.enumerated() {
            if i > 0 { text += "," }
            text += pair.key
            text += "="
            text += pair.value
        }
        return text
    }
}
