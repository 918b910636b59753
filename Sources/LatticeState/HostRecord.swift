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
    fileprivate var profileBox: OutOfLine<HostProfile> = OutOfLine(wrappedValue: HostProfile())
    /// Read as a borrow and changed in place (a property wrapper's synthesized getter would
    /// copy the whole value out on every read of one field).
    var profile: HostProfile {
        _read { yield profileBox.wrappedValue }
        set { profileBox.wrappedValue = newValue }
        _modify { yield &profileBox.wrappedValue }
    }
    public internal(set) var liveness: HostLiveness = .live { didSet { tally.notStopped = liveness.isStopped ? 0 : 1 } }
    public internal(set) var components: [String: ComponentRecord] = [:] { didSet { tally.countComponents(components) } }
    public internal(set) var providers: [String: ProviderRecord] = [:] {
        didSet {
            tally.countProviders(providers)
            let targets = Self.probeTargets(of: providers)
            if targets != probeTargets { probeTargets = targets }
        }
    }
    /// What the host adds to the lattice's totals (`LatticeState.hostTotals`), kept as the three
    /// fields above change (in place: the observers do not read the old value).
    public private(set) var tally = HostTally(notStopped: 1)
    /// Its running binary providers, by ID in order (what latticetop probes; builtin ones are
    /// never probed), kept as `providers` changes: summed over the hosts by the reducer
    /// (`LatticeState.probeTargetIndex`). (A stopped host has none: it drops its providers
    /// and takes no more.)
    public private(set) var probeTargets: [String] = []
    /// Arrival of the latest sign of life and of the latest heartbeat.
    public internal(set) var lastSeen: Date
    public internal(set) var lastHeartbeatAt: Date?
    /// When something visible about the host (not its components/providers) last changed.
    public internal(set) var changedAt: Date
    private var factsBox: OutOfLine<HostFacts>
    /// Read as a borrow and changed in place (a property wrapper's synthesized getter would
    /// copy the whole value out on every read of one field).
    var facts: HostFacts {
        _read { yield factsBox.wrappedValue }
        set { factsBox.wrappedValue = newValue }
        _modify { yield &factsBox.wrappedValue }
    }

    /// `probeTargets` of a host running `providers`.
    static func probeTargets(of providers: [String: ProviderRecord]) -> [String] {
        var ids: [String] = []
        var index = providers.startIndex
        while index != providers.endIndex {
            if providers.values[index].status.isRunning && !providers.values[index].isBuiltin { ids.append(providers.keys[index]) }
            providers.formIndex(after: &index)
        }
        return ids.count > 1 ? ids.sorted() : ids
    }

    /// What the host adds to the sums the reducer keeps over every host.
    struct Contribution: Equatable {
        var tally: HostTally
        var probeTargets: [String]
    }

    var contribution: Contribution { Contribution(tally: tally, probeTargets: probeTargets) }

    init(id: String, at: Date) {
        self.id = id
        lastSeen = at
        changedAt = at
        factsBox = OutOfLine(wrappedValue: HostFacts(firstSeen: at, lastSeen: at))
    }

    /// The host's own shown fields (name, labels, version, uptime, connections, v2 details),
    /// liveness and when they last changed, as one value: equal when none of them changed.
    /// Not its components, providers, facts or when it was last seen. (Cheap: the fields
    /// derived together are compared by their shared storage first.)
    public struct OwnFields: Equatable, Sendable {
        fileprivate let profile: OutOfLine<HostProfile>
        fileprivate let liveness: HostLiveness
        fileprivate let changedAt: Date

        /// An uptime of the same start is the same (`HostProfile.showsSame`).
        public static func == (lhs: Self, rhs: Self) -> Bool {
            lhs.liveness == rhs.liveness && lhs.changedAt == rhs.changedAt
                && (lhs.profile.sharesStorage(with: rhs.profile) || lhs.profile.wrappedValue.showsSame(as: rhs.profile.wrappedValue))
        }
    }

    /// Uptime reports whose implied starts are closer than this are of one start (uptimes are
    /// whole seconds, and a report's time is when it was sent or came).
    public static let sameStartTolerance: TimeInterval = 2

    public var ownFields: OwnFields { OwnFields(profile: profileBox, liveness: liveness, changedAt: changedAt) }

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

    /// Recomputes the host's own fields from its facts; returns whether any changed as shown
    /// (`HostProfile.showsSame`): every heartbeat and ping reply reports a new uptime, and one
    /// that implies the same start is kept but is not a change of the host (no highlight, no
    /// row rebuilt).
    @discardableResult
    mutating func refreshInfo(at: Date) -> Bool {
        let new = Self.profile(of: facts)
        guard new != profile else { return false }
        let changed = !new.showsSame(as: profile)
        profile = new
        if changed { changedAt = at }
        return changed
    }

    /// The profile `facts` give, read through one borrow of the facts (each read of `facts` is
    /// a coroutine), the rare ones once each (each read of one is a look in their box).
    private static func profile(of facts: HostFacts) -> HostProfile {
        let started = facts.started, labelsChanged = facts.labelsChanged, stopped = facts.stopped, v2 = facts.v2
        var name = LatestPick<String>()
        name.offer(started?.stamp, started?.value.friendlyName.nonEmpty)
        name.offer(facts.inventory?.stamp, facts.inventory?.value.friendlyName.nonEmpty)
        name.offer(facts.ping?.stamp, facts.ping?.value.friendlyName.nonEmpty)
        name.offer(v2?.stamp, v2?.value.friendlyName.nonEmpty)

        var labels = LatestPick<[String: String]>()
        labels.offer(started?.stamp, started?.value.labels)
        labels.offer(facts.inventory?.stamp, facts.inventory?.value.labels)
        labels.offer(facts.ping?.stamp, facts.ping?.value.labels)
        labels.offer(labelsChanged?.stamp, labelsChanged?.value)
        labels.offer(stopped?.stamp, stopped?.value.labels)
        labels.offer(v2?.stamp, v2?.value.labels)

        var version = LatestPick<String>()
        version.offer(started?.stamp, started?.value.version?.nonEmpty)
        version.offer(facts.inventory?.stamp, facts.inventory?.value.version.nonEmpty)
        version.offer(facts.ping?.stamp, facts.ping?.value.version?.nonEmpty)
        version.offer(v2?.stamp, v2?.value.version.nonEmpty)

        var uptime = LatestPick<UInt64>()
        uptime.offer(started?.stamp, started?.value.uptimeSeconds)
        uptime.offer(facts.inventory?.stamp, facts.inventory?.value.uptimeSeconds)
        uptime.offer(facts.ping?.stamp, facts.ping?.value.uptimeSeconds)
        var uptimeSeconds = uptime.value
        var reportedAt = uptime.stamp?.time
        var startedAt = reportedAt.flatMap { at in uptimeSeconds.map { at - TimeInterval($0) } }
        if let v2, let v2Start = v2.value.startedAtDate, Stamp.isLater(v2.stamp, than: uptime.stamp) {
            startedAt = v2Start
            reportedAt = v2.arrival
            uptimeSeconds = UInt64(max(0, v2.arrival.timeIntervalSince(v2Start)))
        }

        let v2Details = v2.map { V2HostDetails($0.value, subject: facts.v2Subject) }
        return HostProfile(
            friendlyName: name.value ?? "", labels: labels.value ?? [:], version: version.value,
            lattice: facts.ping?.value.lattice, uptimeSeconds: uptimeSeconds, uptimeReportedAt: reportedAt,
            startedAt: startedAt, ctlHost: facts.ping?.value.ctlHost, rpcHost: facts.ping?.value.rpcHost,
            jsDomain: facts.ping?.value.jsDomain, isV2: v2 != nil, v2: v2Details)
    }

    /// Whether `other` shows as this does: the same in everything a view reads (its own fields,
    /// liveness, components and providers as `ComponentRecord`/`ProviderRecord.showsSame`
    /// compare them, whether an inventory came), whatever the facts, when it was last seen, or
    /// an uptime of the same start.
    func showsSame(as other: HostRecord) -> Bool {
        guard hasInventory == other.hasInventory, profile.showsSame(as: other.profile),
              components.count == other.components.count, providers.count == other.providers.count else { return false }
        for (id, c) in components {
            guard let o = other.components[id], c.showsSame(as: o) else { return false }
        }
        for (id, p) in providers {
            guard let o = other.providers[id], p.showsSame(as: o) else { return false }
        }
        var same = self
        same.factsBox = other.factsBox
        same.profileBox = other.profileBox
        same.components = other.components
        same.providers = other.providers
        same.lastSeen = other.lastSeen
        same.lastHeartbeatAt = other.lastHeartbeatAt
        return same == other
    }

    /// Recomputes liveness for the clock reading `now`; true when it changed.
    @discardableResult
    mutating func refreshLiveness(now: Date, configuration: LatticeStateConfiguration, at: Date) -> Bool {
        let new = derivedLiveness(now: now, configuration: configuration)
        guard new != liveness else { return false }
        liveness = new
        changedAt = at
        return true
    }

    /// Liveness as the facts and the clock give it.
    func derivedLiveness(now: Date, configuration: LatticeStateConfiguration) -> HostLiveness {
        if let stopped = facts.stopped {
            return .stopped(at: stopped.stamp.time)
        } else if !isV2, let missed = facts.missedPingAt, missed > facts.lastSeen {
            return .stale(since: facts.lastSeen, reason: .didNotAnswerPing)
        } else if now.timeIntervalSince(facts.lastSeen) > (isV2 ? configuration.v2HostStaleAfter : configuration.hostStaleAfter) {
            return .stale(since: facts.lastSeen, reason: .noHeartbeat)
        } else {
            return .live
        }
    }
}

/// What a host says about itself, as `HostRecord` shows it (see its properties).
struct HostProfile: Sendable, Equatable {
    /// Equal but for an uptime of the same start (reported at another time).
    func showsSame(as other: HostProfile) -> Bool {
        switch (startedAt, other.startedAt) {
        case (nil, nil): break
        case let (a?, b?) where abs(a.timeIntervalSince(b)) < HostRecord.sameStartTolerance: break
        default: return false
        }
        var same = self
        same.uptimeSeconds = other.uptimeSeconds
        same.uptimeReportedAt = other.uptimeReportedAt
        same.startedAt = other.startedAt
        return same == other
    }

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
