import Foundation
import LatticeProtocol
import LatticeState
import TerminalUI

/// The lattice state plus what the screen needs around it (connection facts, the frozen event
/// log while paused), and the mapping from state to panes. Pure except for `apply`.
struct Dashboard: Sendable {
    var state: LatticeState
    var lattice: String
    var server: String
    var context: String?
    var rttMilliseconds: Double?
    /// Bumped on every change, so views can be cached between changes.
    private(set) var version = 0
    private(set) var frozenEvents: [EventLogEntry]?
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
        return true
    }

    static func time(_ input: LatticeInput) -> Date? {
        switch input {
        case .event(_, let at), .undecodable(_, _, _, let at), .v2Heartbeat(_, _, let at), .wadmStatus(_, _, let at),
             .syncStarted(_, let at), .hostPinged(_, _, let at), .inventory(_, _, let at), .links(_, _, let at),
             .configs(_, _, let at), .config(_, _, let at), .applications(_, _, let at), .syncFinished(_, _, _, let at),
             .syncFailed(_, _, let at), .connection(_, let at), .dropped(_, _, let at):
            return at
        case .tick(let at):
            return at
        }
    }

    mutating func freezeEvents(_ paused: Bool) {
        if paused { if frozenEvents == nil { frozenEvents = state.eventLog.elements } } else { frozenEvents = nil }
    }

    /// Providers that are known to be in trouble: unhealthy, never healthy since their start,
    /// silent, or failed to start. A provider whose health is merely unknown (we started watching
    /// after its last change) is not counted.
    static func unhealthyCount(_ state: LatticeState) -> Int {
        state.allProviders.filter { p in
            if case .failedToStart = p.status { return true }
            guard p.status.isRunning else { return false }
            switch p.health {
            case .unhealthy, .stale, .notReportedHealthy(_, true): return true
            default: return false
            }
        }.count
    }

    var componentIDs: [String] { Array(Set(state.allComponents.map(\.id))).sorted() }

    // MARK: - Header

    func header(now: Date) -> HeaderInfo {
        let c = state.connection
        let connection: String
        var banner: String?
        switch c.status {
        case .connected: connection = "connected"
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
        let live = state.sortedHosts.filter { !$0.liveness.isStopped }
        let recent = arrivals.filter { now.timeIntervalSince($0) <= 5 }.count
        return HeaderInfo(
            context: context, lattice: lattice, server: server, connection: connection, connected: c.isConnected,
            rttMilliseconds: rttMilliseconds, hosts: live.count,
            components: state.allComponents.filter { $0.status == .running }.count,
            providers: state.allProviders.filter { $0.status.isRunning }.count,
            links: state.linkReports.count, unhealthy: Self.unhealthyCount(state),
            messagesPerSecond: Double(recent) / 5, banner: banner)
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

    static func clock(_ date: Date) -> String {
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone.current, from: date)
        return String(format: "%02d:%02d:%02d", c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    static func labels(_ labels: [String: String]) -> String {
        labels.filter { !$0.key.hasPrefix("hostcore.") }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            .joined(separator: ",")
    }
}
