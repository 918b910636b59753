import Foundation
import LatticeProtocol

/// The live lattice model: a value, changed only by `apply(_:)`, a pure reducer (no I/O, no
/// clock reads: time comes from the inputs' `at` and from `.tick`).
///
/// Every record keeps the latest report of each kind about its subject (the latest inventory
/// that listed it, the latest scale/start/stop/health event, the latest delete …), stamped with
/// the event's own time; what the panes show is derived from those. An inventory or a listing
/// also says "absent as of its stamp" for everything it does not list. So old events cannot
/// undo newer facts, duplicates change nothing, and the same facts in any order give the same
/// `model`.
public struct LatticeState: Sendable, Equatable {
    public let configuration: LatticeStateConfiguration
    /// The latest time seen (ticks and arrival times); `distantPast` before any input.
    public internal(set) var now: Date = .distantPast
    public internal(set) var hosts: [String: HostRecord] = [:]
    /// Hosts with an inventory (`HostRecord.hasInventory`), kept as hosts change.
    public internal(set) var inventoriedHostCount = 0
    /// The sum of every host's `HostRecord.tally` (the header's counts), kept as hosts change:
    /// equal to `HostTotals(counting: hosts.values)`.
    public internal(set) var hostTotals = HostTotals()
    /// The providers latticetop probes, kept as hosts change (no pass over every provider a
    /// second).
    public internal(set) var probeTargetIndex = ProbeTargetIndex()
    /// The hosts of each provider, kept as hosts change (no scan of every host per probe result).
    public internal(set) var providerHosts = ProviderHostIndex()
    public internal(set) var links: [LinkKey: LinkRecord] = [:]
    public internal(set) var configs: [String: ConfigRecord] = [:]
    public internal(set) var applications: [String: ApplicationRecord] = [:]
    /// Config names can be listed (the sync read the `CONFIGDATA` bucket); only then can a
    /// link's config be called missing.
    public internal(set) var configNamesKnown = false
    /// wadm answered the last application listing (`nil`: not asked yet).
    public internal(set) var wadmAvailable: Bool?
    public internal(set) var eventLog: RingBuffer<EventLogEntry>
    public internal(set) var counters: LatticeCounters
    public internal(set) var connection = ConnectionState()
    public internal(set) var sync = SyncState()
    /// Arrival of the latest data of each kind.
    public internal(set) var lastUpdate = LastUpdateTimes()
    /// The history replayed at start (recorded events before live ones).
    public internal(set) var history = HistoryState()
    /// Per provider: crashes, failed starts and unhealthy spells within `triageWindow`.
    public internal(set) var triage = ProviderTriage()
    /// Which records each input may have changed, for views updated incrementally.
    public internal(set) var changes = ChangeJournal()
    /// When each host next needs the clock (`applyTick`).
    var clockChecks = ClockChecks()

    var duplicates: DuplicateFilter
    /// Stopped host IDs (arrival of `host_stopped`), kept after the record is removed.
    var stoppedHostIDs: [String: Date] = [:]
    /// `linkdef_deleted` events without a target: they remove every link with that base.
    var linkBaseDeletes: [LinkBaseKey: Tombstone] = [:]
    var linkSnapshot: Snapshot<LinkKey>?
    var configSnapshot: Snapshot<String>?
    var applicationSnapshot: Snapshot<String>?

    public init(configuration: LatticeStateConfiguration = LatticeStateConfiguration()) {
        self.configuration = configuration
        eventLog = RingBuffer(capacity: configuration.eventLogCapacity)
        counters = LatticeCounters(sampleCapacity: configuration.sampleCapacity)
        duplicates = DuplicateFilter(capacity: configuration.duplicateWindow)
    }

    /// Folds `inputs` in, in order. (A health probe result finds its provider's hosts in
    /// `providerHosts`, so a probe round needs no pass over every host.)
    /// Inputs held contiguously (an array, or a slice of one as time travel folds) are read in
    /// place: `for input in` copies each out, at 10,000 hosts a first sync's pings and
    /// inventories, every field of each retained and released once more.
    public mutating func apply<S: Sequence>(contentsOf inputs: S) where S.Element == LatticeInput {
        let readInPlace: Void? = inputs.withContiguousStorageIfAvailable { inputs in
            for i in inputs.indices { apply(inputs[i]) }
        }
        guard readInPlace == nil else { return }
        for input in inputs { apply(input) }
    }

    public mutating func apply(_ input: LatticeInput) {
        changes.advance()
        switch input {
        case .event(let event, let at):
            advance(to: at)
            applyEvent(event, at: at)
        case .recorded(let event, let at):
            advance(to: at)
            history.replayed += 1
            applyEvent(event, at: at, recorded: true)
        case .history(let progress, let at):
            advance(to: at)
            applyHistory(progress, at: at)
        case .undecodable(let subject, let reason, let raw, let at):
            advance(to: at)
            applyUndecodable(subject: subject, reason: reason, raw: raw, at: at)
        case .v2Heartbeat(let beat, let subject, let at):
            advance(to: at)
            applyV2Heartbeat(beat, subject: subject, at: at)
        case .healthProbe(let providerID, let outcome, let at):
            advance(to: at)
            applyHealthProbe(providerID: providerID, outcome: outcome, at: at)
        case .wadmStatus(let application, let status, let at):
            advance(to: at)
            applyWadmStatus(application: application, status: status, at: at)
        case .syncStarted(let id, let at):
            advance(to: at)
            applySyncStarted(id: id, at: at)
        case .hostPinged(let info, let syncID, let at):
            advance(to: at)
            applyPing(info, syncID: syncID, at: at)
        case .inventory(let inventory, let syncID, let at):
            advance(to: at)
            applyInventory(inventory, stamp: Stamp(time: at, tiebreak: "~sync \(syncID) host.get"), at: at)
        case .links(let links, let syncID, let at):
            advance(to: at)
            applyLinkListing(links, syncID: syncID, at: at)
        case .configs(let configs, let syncID, let at):
            advance(to: at)
            applyConfigListing(configs, syncID: syncID, at: at)
        case .config(let name, let values, let at):
            advance(to: at)
            applyConfigValues(name: name, values: values, at: at)
        case .applications(let summaries, let syncID, let at):
            advance(to: at)
            applyApplicationListing(summaries, syncID: syncID, at: at)
        case .syncFinished(let id, let hostsAnswered, let complete, let at):
            advance(to: at)
            applySyncFinished(id: id, hostsAnswered: hostsAnswered, complete: complete, at: at)
        case .syncFailed(let step, let message, let at):
            advance(to: at)
            applySyncFailed(step: step, message: message, at: at)
        case .connection(let status, let at):
            advance(to: at)
            applyConnection(status, at: at)
        case .dropped(let subject, let total, let at):
            advance(to: at)
            applyDropped(subject: subject, total: total, at: at)
        case .superseded(let total, let at):
            advance(to: at)
            counters.superseded = max(counters.superseded, total)
        case .tick(let date):
            advance(to: date)
            applyTick()
        }
    }

    mutating func advance(to date: Date) {
        if date > now { now = date }
    }

    // MARK: - Hosts

    /// Runs `body` on the host's record, creating it unless the host ID is known to have
    /// stopped and its record was already removed. With `signOfLife`, the input shows the host
    /// was alive when it arrived.
    mutating func withHost(_ id: String, at: Date, signOfLife: Bool = false, _ body: (inout HostRecord) -> Void) {
        updateHost(id, at: at, signOfLife: signOfLife) { host in
            body(&host)
            return .everything
        }
    }

    /// What an input changed of a host as views read it (`updateHost`).
    enum HostChange {
        case nothing
        /// What runs on it (a provider's health or history), not which.
        case workloads
        case everything
    }

    /// `withHost(_:at:signOfLife:_:)` where `body` says what it may have changed of what the
    /// views show of the host (not its facts or when it was last seen): the host is marked in
    /// the change journal only then (`.workloads` when only what runs on it changed), or as a
    /// whole when it is new, its liveness changed, its first inventory came or it has other
    /// components or providers. A heartbeat repeating what is known (every host every 30 s)
    /// or a sync's unchanged inventory marks nothing, so no view rebuilds its rows.
    mutating func updateHost(_ id: String, at: Date, signOfLife: Bool = false, _ body: (inout HostRecord) -> HostChange) {
        guard !id.isEmpty else { return }
        let now = self.now, configuration = self.configuration
        /// Runs the body; the change in hosts with an inventory (-1, 0 or 1), what changed as
        /// shown, and the host's providers (read here: `hosts.values[index]` would copy the record).
        func update(_ host: inout HostRecord) -> (inventoried: Int, shown: HostChange, share: (HostRecord.Contribution, HostRecord.Contribution),
                                                  providers: Dictionary<String, ProviderRecord>.Keys) {
            let had = host.hasInventory, counts = (host.components.count, host.providers.count), share = host.contribution
            var shown = body(&host)
            if signOfLife {
                host.noteSignOfLife(at: at)
                if host.refreshLiveness(now: now, configuration: configuration, at: at) { shown = .everything }
            }
            if host.hasInventory != had || counts != (host.components.count, host.providers.count) { shown = .everything }
            return ((host.hasInventory ? 1 : 0) - (had ? 1 : 0), shown, (share, host.contribution), host.providers.keys)
        }
        // By index: `hosts[id] == nil` would copy the whole record out.
        if let index = hosts.index(forKey: id) {
            let (inventoried, shown, share, providers) = update(&hosts.values[index])
            inventoriedHostCount += inventoried
            replace(share.0, with: share.1)
            switch shown {
            case .nothing: return
            case .workloads: changes.mark(.workloads(id))
            case .everything: changes.mark(.host(id))
            }
            providerHosts.update(host: id, providers: providers)
        } else if stoppedHostIDs.index(forKey: id) == nil {
            var host = HostRecord(id: id, at: at)
            inventoriedHostCount += update(&host).inventoried
            replace(nil, with: host.contribution)
            providerHosts.update(host: id, providers: host.providers.keys)
            hosts[id] = host
            changes.mark(.host(id))
        }
    }

    /// Counts the hosts with an inventory again (after hosts were removed).
    mutating func recountInventoriedHosts() {
        var count = 0
        for i in hosts.values.indices where hosts.values[i].hasInventory { count += 1 }
        inventoriedHostCount = count
    }

    /// Runs `body` on the host at `index` in place, keeping the sums over every host
    /// (`hostTotals`, `probeTargetIndex`).
    mutating func changeHost<R>(at index: Dictionary<String, HostRecord>.Index, _ body: (inout HostRecord) -> R) -> R {
        func run(_ host: inout HostRecord) -> (R, HostRecord.Contribution, HostRecord.Contribution) {
            let before = host.contribution
            let result = body(&host)
            return (result, before, host.contribution)
        }
        let (result, before, after) = run(&hosts.values[index])
        replace(before, with: after)
        return result
    }

    /// A host's share of the sums over every host went from `before` to `after` (nil: no host).
    mutating func replace(_ before: HostRecord.Contribution?, with after: HostRecord.Contribution?) {
        guard before != after else { return }
        hostTotals.replace(before?.tally ?? HostTally(), with: after?.tally ?? HostTally())
        probeTargetIndex.replace(before?.probeTargets ?? [], with: after?.probeTargets ?? [])
    }

    var refreshContext: RefreshContext { RefreshContext(now: now, configuration: configuration) }
}

/// What deriving health and liveness needs besides the facts.
struct RefreshContext {
    var now: Date
    var configuration: LatticeStateConfiguration
}
