import Foundation
import LatticeProtocol

/// One host (1.x or v2) with what runs on it.
///
/// Small inline (the host table holds 10,000 of them on a large lattice, and a snapshot of the
/// model copies the table): what the host says about itself and the facts it is derived from
/// are kept out of line (`OutOfLine`), shared by copies until one changes.
public struct HostRecord: Sendable, Equatable, Identifiable {
    public let id: String
    /// Name, labels, version, uptime, connections: derived from the facts by `refreshInfo`.
    @OutOfLine var profile = HostProfile()
    public internal(set) var liveness: HostLiveness = .live
    public internal(set) var components: [String: ComponentRecord] = [:]
    public internal(set) var providers: [String: ProviderRecord] = [:]
    /// Arrival of the latest sign of life and of the latest heartbeat.
    public internal(set) var lastSeen: Date
    public internal(set) var lastHeartbeatAt: Date?
    /// When something visible about the host (not its components/providers) last changed.
    public internal(set) var changedAt: Date
    @OutOfLine var facts: HostFacts

    init(id: String, at: Date) {
        self.id = id
        lastSeen = at
        changedAt = at
        facts = HostFacts(firstSeen: at, lastSeen: at)
    }

    public var friendlyName: String { profile.friendlyName }
    public var labels: [String: String] { profile.labels }
    public var version: String? { profile.version }
    /// From ping replies only.
    public var lattice: String? { profile.lattice }
    /// Uptime as last reported, and when that report was made.
    public var uptimeSeconds: UInt64? { profile.uptimeSeconds }
    public var uptimeReportedAt: Date? { profile.uptimeReportedAt }
    /// Start time estimated from the latest uptime report (exact for `host_started` and v2).
    public var startedAt: Date? { profile.startedAt }
    /// `nats://…` of the host's ctl and RPC connections (from ping replies; they may differ).
    public var ctlHost: String? { profile.ctlHost }
    public var rpcHost: String? { profile.rpcHost }
    public var jsDomain: String? { profile.jsDomain }
    /// A wasmCloud v2 host (`runtime.*` protocol): no components/providers lists, no ping.
    public var isV2: Bool { profile.isV2 }
    public var v2: V2HostDetails? { profile.v2 }

    /// Components that run now (not scaled away, not only failed attempts).
    public var runningComponents: [ComponentRecord] {
        components.values.filter { $0.status == .running }.sorted { $0.id < $1.id }
    }

    public var visibleComponents: [ComponentRecord] {
        components.values.filter(\.isVisible).sorted { $0.id < $1.id }
    }

    public var visibleProviders: [ProviderRecord] {
        providers.values.filter(\.isVisible).sorted { $0.id < $1.id }
    }

    /// How many `visibleComponents` lists, without building (and sorting) the list.
    public var visibleComponentCount: Int {
        var count = 0
        for i in components.values.indices where components.values[i].isVisible { count += 1 }
        return count
    }

    /// How many `visibleProviders` lists, without building (and sorting) the list.
    public var visibleProviderCount: Int {
        var count = 0
        for i in providers.values.indices where providers.values[i].isVisible { count += 1 }
        return count
    }

    /// Whether an inventory of the host is in (a sync's `host.get` or a heartbeat).
    public var hasInventory: Bool { facts.inventory != nil }

    /// The friendly name, or the ID's start when there is none yet.
    public var displayName: String {
        friendlyName.isEmpty ? String(id.prefix(12)) : friendlyName
    }

    // MARK: - Deriving

    mutating func noteSignOfLife(at: Date) {
        if at > facts.lastSeen { facts.lastSeen = at }
        if at < facts.firstSeen { facts.firstSeen = at }
        lastSeen = facts.lastSeen
    }

    /// Recomputes the host's own fields from its facts.
    mutating func refreshInfo(at: Date) {
        // One copy of the facts (each read of the out-of-line property below would copy all of
        // them: ~25 reads, 7 % of the UI thread during a 10,000-host sync).
        let facts = self.facts
        var name = LatestPick<String>()
        name.offer(facts.started?.stamp, facts.started?.value.friendlyName.nonEmpty)
        name.offer(facts.inventory?.stamp, facts.inventory?.value.friendlyName.nonEmpty)
        name.offer(facts.ping?.stamp, facts.ping?.value.friendlyName.nonEmpty)
        name.offer(facts.v2?.stamp, facts.v2?.value.friendlyName.nonEmpty)

        var labels = LatestPick<[String: String]>()
        labels.offer(facts.started?.stamp, facts.started?.value.labels)
        labels.offer(facts.inventory?.stamp, facts.inventory?.value.labels)
        labels.offer(facts.ping?.stamp, facts.ping?.value.labels)
        labels.offer(facts.labelsChanged?.stamp, facts.labelsChanged?.value)
        labels.offer(facts.stopped?.stamp, facts.stopped?.value.labels)
        labels.offer(facts.v2?.stamp, facts.v2?.value.labels)

        var version = LatestPick<String>()
        version.offer(facts.started?.stamp, facts.started?.value.version?.nonEmpty)
        version.offer(facts.inventory?.stamp, facts.inventory?.value.version.nonEmpty)
        version.offer(facts.ping?.stamp, facts.ping?.value.version?.nonEmpty)
        version.offer(facts.v2?.stamp, facts.v2?.value.version.nonEmpty)

        var uptime = LatestPick<UInt64>()
        uptime.offer(facts.started?.stamp, facts.started?.value.uptimeSeconds)
        uptime.offer(facts.inventory?.stamp, facts.inventory?.value.uptimeSeconds)
        uptime.offer(facts.ping?.stamp, facts.ping?.value.uptimeSeconds)
        var uptimeSeconds = uptime.value
        var reportedAt = uptime.stamp?.time
        var started = reportedAt.flatMap { at in uptimeSeconds.map { at - TimeInterval($0) } }
        if let v2 = facts.v2, let v2Start = v2.value.startedAtDate, Stamp.isLater(v2.stamp, than: uptime.stamp) {
            started = v2Start
            reportedAt = v2.arrival
            uptimeSeconds = UInt64(max(0, v2.arrival.timeIntervalSince(v2Start)))
        }

        let v2Details = facts.v2.map { V2HostDetails($0.value, subject: facts.v2Subject) }
        let changed = (name.value ?? "") != friendlyName || (labels.value ?? [:]) != self.labels
            || version.value != self.version || facts.ping?.value.lattice != lattice
            || uptimeSeconds != self.uptimeSeconds || started != startedAt
            || facts.ping?.value.ctlHost != ctlHost || facts.ping?.value.rpcHost != rpcHost
            || facts.ping?.value.jsDomain != jsDomain || (facts.v2 != nil) != isV2 || v2Details != v2
        guard changed else { return }
        profile = HostProfile(
            friendlyName: name.value ?? "", labels: labels.value ?? [:], version: version.value,
            lattice: facts.ping?.value.lattice, uptimeSeconds: uptimeSeconds, uptimeReportedAt: reportedAt,
            startedAt: started, ctlHost: facts.ping?.value.ctlHost, rpcHost: facts.ping?.value.rpcHost,
            jsDomain: facts.ping?.value.jsDomain, isV2: facts.v2 != nil, v2: v2Details)
        changedAt = at
    }

    /// Recomputes liveness for the clock reading `now`; true when it changed.
    @discardableResult
    mutating func refreshLiveness(now: Date, configuration: LatticeStateConfiguration, at: Date) -> Bool {
        let new: HostLiveness
        if let stopped = facts.stopped {
            new = .stopped(at: stopped.stamp.time)
        } else if !isV2, let missed = facts.missedPingAt, missed > facts.lastSeen {
            new = .stale(since: facts.lastSeen, reason: .didNotAnswerPing)
        } else if now.timeIntervalSince(facts.lastSeen) > (isV2 ? configuration.v2HostStaleAfter : configuration.hostStaleAfter) {
            new = .stale(since: facts.lastSeen, reason: .noHeartbeat)
        } else {
            new = .live
        }
        guard new != liveness else { return false }
        liveness = new
        changedAt = at
        return true
    }
}

/// What a host says about itself, as `HostRecord` shows it (see its properties).
struct HostProfile: Sendable, Equatable {
    var friendlyName = ""
    var labels: [String: String] = [:]
    var version: String?
    var lattice: String?
    var uptimeSeconds: UInt64?
    var uptimeReportedAt: Date?
    var startedAt: Date?
    var ctlHost: String?
    var rpcHost: String?
    var jsDomain: String?
    var isV2 = false
    var v2: V2HostDetails?
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
