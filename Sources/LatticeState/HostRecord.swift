import Foundation
import LatticeProtocol

/// One host (1.x or v2) with what runs on it.
public struct HostRecord: Sendable, Equatable, Identifiable {
    public let id: String
    public internal(set) var friendlyName = ""
    public internal(set) var labels: [String: String] = [:]
    public internal(set) var version: String?
    /// From ping replies only.
    public internal(set) var lattice: String?
    /// Uptime as last reported, and when that report was made.
    public internal(set) var uptimeSeconds: UInt64?
    public internal(set) var uptimeReportedAt: Date?
    /// Start time estimated from the latest uptime report (exact for `host_started` and v2).
    public internal(set) var startedAt: Date?
    /// `nats://…` of the host's ctl and RPC connections (from ping replies; they may differ).
    public internal(set) var ctlHost: String?
    public internal(set) var rpcHost: String?
    public internal(set) var jsDomain: String?
    /// A wasmCloud v2 host (`runtime.*` protocol): no components/providers lists, no ping.
    public internal(set) var isV2 = false
    public internal(set) var v2: V2HostDetails?
    public internal(set) var liveness: HostLiveness = .live
    public internal(set) var components: [String: ComponentRecord] = [:]
    public internal(set) var providers: [String: ProviderRecord] = [:]
    /// Arrival of the latest sign of life and of the latest heartbeat.
    public internal(set) var lastSeen: Date
    public internal(set) var lastHeartbeatAt: Date?
    /// When something visible about the host (not its components/providers) last changed.
    public internal(set) var changedAt: Date
    var facts: HostFacts

    init(id: String, at: Date) {
        self.id = id
        lastSeen = at
        changedAt = at
        facts = HostFacts(firstSeen: at, lastSeen: at)
    }

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
        let f = facts
        var name = LatestPick<String>()
        name.offer(f.started?.stamp, f.started?.value.friendlyName.nonEmpty)
        name.offer(f.inventory?.stamp, f.inventory?.value.friendlyName.nonEmpty)
        name.offer(f.ping?.stamp, f.ping?.value.friendlyName.nonEmpty)
        name.offer(f.v2?.stamp, f.v2?.value.friendlyName.nonEmpty)

        var labels = LatestPick<[String: String]>()
        labels.offer(f.started?.stamp, f.started?.value.labels)
        labels.offer(f.inventory?.stamp, f.inventory?.value.labels)
        labels.offer(f.ping?.stamp, f.ping?.value.labels)
        labels.offer(f.labelsChanged?.stamp, f.labelsChanged?.value)
        labels.offer(f.stopped?.stamp, f.stopped?.value.labels)
        labels.offer(f.v2?.stamp, f.v2?.value.labels)

        var version = LatestPick<String>()
        version.offer(f.started?.stamp, f.started?.value.version?.nonEmpty)
        version.offer(f.inventory?.stamp, f.inventory?.value.version.nonEmpty)
        version.offer(f.ping?.stamp, f.ping?.value.version?.nonEmpty)
        version.offer(f.v2?.stamp, f.v2?.value.version.nonEmpty)

        var uptime = LatestPick<UInt64>()
        uptime.offer(f.started?.stamp, f.started?.value.uptimeSeconds)
        uptime.offer(f.inventory?.stamp, f.inventory?.value.uptimeSeconds)
        uptime.offer(f.ping?.stamp, f.ping?.value.uptimeSeconds)
        var uptimeSeconds = uptime.value
        var reportedAt = uptime.stamp?.time
        var started = reportedAt.flatMap { at in uptimeSeconds.map { at - TimeInterval($0) } }
        if let v2 = f.v2, let v2Start = v2.value.startedAtDate, Stamp.isLater(v2.stamp, than: uptime.stamp) {
            started = v2Start
            reportedAt = v2.arrival
            uptimeSeconds = UInt64(max(0, v2.arrival.timeIntervalSince(v2Start)))
        }

        let v2Details = f.v2.map { V2HostDetails($0.value, subject: f.v2Subject) }
        let changed = (name.value ?? "") != friendlyName || (labels.value ?? [:]) != self.labels
            || version.value != self.version || f.ping?.value.lattice != lattice
            || uptimeSeconds != self.uptimeSeconds || started != startedAt
            || f.ping?.value.ctlHost != ctlHost || f.ping?.value.rpcHost != rpcHost
            || f.ping?.value.jsDomain != jsDomain || (f.v2 != nil) != isV2 || v2Details != v2
        guard changed else { return }
        friendlyName = name.value ?? ""
        self.labels = labels.value ?? [:]
        self.version = version.value
        lattice = f.ping?.value.lattice
        self.uptimeSeconds = uptimeSeconds
        uptimeReportedAt = reportedAt
        startedAt = started
        ctlHost = f.ping?.value.ctlHost
        rpcHost = f.ping?.value.rpcHost
        jsDomain = f.ping?.value.jsDomain
        isV2 = f.v2 != nil
        v2 = v2Details
        changedAt = at
    }

    /// Recomputes liveness for the clock reading `now`.
    mutating func refreshLiveness(now: Date, configuration: LatticeStateConfiguration, at: Date) {
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
        if new != liveness {
            liveness = new
            changedAt = at
        }
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
