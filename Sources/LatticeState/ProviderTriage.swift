import Foundation
import LatticeProtocol

/// Something that went wrong with a provider on a host.
public struct ProviderIncident: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// Its health reports stopped while its host kept listing it: the process died (a 1.x host
        /// restarts it without an event) or hung. `at` is the last sign of life.
        case crash
        /// `provider_start_failed`.
        case failedStart = "failed start"
        /// A spell of unhealthy verdicts (`health_check_failed`, or only "unchanged" reports from
        /// its start on: unhealthy from the first probe).
        case unhealthy
    }

    public var kind: Kind
    /// When it began (the event's own time; for a crash, the last report before the silence).
    public var at: Date
    /// When the spell ended (a health report again, a stop); nil while it lasts or for a failed start.
    public var ended: Date?
    /// The host's message (a failed start's error).
    public var detail: String?
}

/// Which provider on which host.
public struct ProviderKey: Hashable, Sendable, Comparable {
    public var hostID: String
    public var providerID: String

    public init(hostID: String, providerID: String) {
        self.hostID = hostID
        self.providerID = providerID
    }

    public static func < (a: ProviderKey, b: ProviderKey) -> Bool { (a.providerID, a.hostID) < (b.providerID, b.hostID) }
}

/// One provider's incidents within the window, and what the fold needs to tell the next one.
public struct ProviderTriageRecord: Sendable, Equatable {
    /// Oldest first.
    public internal(set) var incidents: [ProviderIncident] = []
    /// The last health report or start (host time): the last sign of life.
    var lastSignOfLife: Date?
    /// When a heartbeat first listed it (for one never heard from).
    var firstListed: Date?
    /// The last verdict of this run (`passed` / `failed`); nil: none since the start.
    var verdict: Bool?
    var startObserved = false
    var silent = false
    var unhealthy = false
    var running = false

    public func count(_ kind: ProviderIncident.Kind) -> Int { incidents.filter { $0.kind == kind }.count }

    /// The most incidents that began within any `span` seconds (for "flapping").
    public func densest(span: TimeInterval) -> Int {
        let times = incidents.map(\.at).sorted()
        var best = 0, first = 0
        for last in times.indices {
            while times[last].timeIntervalSince(times[first]) > span { first += 1 }
            best = max(best, last - first + 1)
        }
        return best
    }

    mutating func begin(_ kind: ProviderIncident.Kind, at: Date, detail: String? = nil) {
        incidents.append(ProviderIncident(kind: kind, at: at, detail: detail))
    }

    /// Ends the open spell of `kind`, if any.
    mutating func end(_ kind: ProviderIncident.Kind, at: Date) {
        guard let i = incidents.lastIndex(where: { $0.kind == kind && $0.ended == nil }) else { return }
        incidents[i].ended = max(at, incidents[i].at)
    }

    /// A health report arrived: the provider is alive (a silence ends) with this verdict (nil: "unchanged").
    mutating func report(verdict: Bool?, at: Date) {
        lastSignOfLife = max(at, lastSignOfLife ?? at)
        if silent {
            silent = false
            end(.crash, at: at)
        }
        running = true
        let unhealthyNow: Bool
        switch verdict {
        case true?: unhealthyNow = false
        case false?: unhealthyNow = true
        case nil:
            // "Same as before": unhealthy only when the run was unhealthy, or began with the
            // start we saw and never passed (1.x: unhealthy from the first probe).
            unhealthyNow = self.verdict == false || (self.verdict == nil && startObserved)
        }
        if let verdict { self.verdict = verdict }
        if unhealthyNow && !unhealthy { begin(.unhealthy, at: at) }
        if !unhealthyNow && unhealthy { end(.unhealthy, at: at) }
        unhealthy = unhealthyNow
    }

    mutating func stopped(at: Date) {
        running = false
        firstListed = nil
        if silent { end(.crash, at: at) }
        if unhealthy { end(.unhealthy, at: at) }
        silent = false
        unhealthy = false
    }
}

/// Triage from the history: per provider on a host, its crashes, failed starts and unhealthy
/// spells within the window, and whether it is flapping. A fold over lattice events in the
/// order they happened (the replayed history, then live ones): a crash is told by silence
/// (no health report for `silentAfter` seconds while the host's heartbeats still list it),
/// which only the order of events says.
public struct ProviderTriage: Sendable, Equatable {
    public internal(set) var providers: [ProviderKey: ProviderTriageRecord] = [:]

    public init() {}

    public subscript(hostID: String, providerID: String) -> ProviderTriageRecord? {
        providers[ProviderKey(hostID: hostID, providerID: providerID)]
    }

    /// Folds one event (`time`: its own time, else its arrival).
    /// Returns whether it changed what is shown of a record (its incidents; the rest is what
    /// judging the next event needs).
    @discardableResult
    mutating func apply(_ event: LatticeEvent, time: Date, silentAfter: TimeInterval) -> Bool {
        guard let hostID = event.hostID else { return false }
        var shown = false
        func update(_ providerID: String, _ body: (inout ProviderTriageRecord) -> Void) {
            let key = ProviderKey(hostID: hostID, providerID: providerID)
            let before = providers[key]?.incidents
            body(&providers[key, default: ProviderTriageRecord()])
            if providers[key]?.incidents != before ?? [] { shown = true }
        }
        switch event.payload {
        case .providerStarted(let started):
            update(started.providerID) { r in
                if r.silent { r.end(.crash, at: time) }
                if r.unhealthy { r.end(.unhealthy, at: time) }
                r.silent = false
                r.unhealthy = false
                r.verdict = nil
                r.startObserved = true
                r.running = true
                r.lastSignOfLife = time
            }
        case .providerStartFailed(let failed):
            update(failed.providerID) { $0.begin(.failedStart, at: time, detail: failed.error) }
        case .providerStopped(let stopped):
            update(stopped.providerID) { $0.stopped(at: time) }
        case .healthCheckPassed(let health):
            update(health.providerID) { $0.report(verdict: true, at: time) }
        case .healthCheckFailed(let health):
            update(health.providerID) { $0.report(verdict: false, at: time) }
        case .healthCheckStatus(let health):
            update(health.providerID) { $0.report(verdict: nil, at: time) }
        case .hostHeartbeat(let inventory):
            // Each binary provider the host still lists, silent for too long: a crash (or hang).
            // One never heard from counts from when a heartbeat first listed it.
            var changed = false
            for p in inventory.providers where p.imageRef?.hasPrefix(ProviderRecord.builtinPrefix) != true {
                let key = ProviderKey(hostID: hostID, providerID: p.id)
                let old = providers[key]
                var r = old ?? ProviderTriageRecord()
                r.running = true
                let last = r.lastSignOfLife ?? r.firstListed ?? time
                if r.lastSignOfLife == nil && r.firstListed == nil { r.firstListed = time }
                if !r.silent && time.timeIntervalSince(last) > silentAfter {
                    r.silent = true
                    r.begin(.crash, at: last, detail: r.lastSignOfLife == nil ? "no health report since it was first listed" : nil)
                }
                guard r != old else { continue }
                if r.incidents != old?.incidents ?? [] { changed = true }
                providers[key] = r
            }
            return changed
        case .hostStopped:
            for key in providers.keys where key.hostID == hostID { providers[key]!.stopped(at: time) }
            shown = true
        default:
            break
        }
        return shown
    }

    /// Forgets incidents that began (and ended) before `cutoff`, and providers left with none
    /// that are not running. Returns the hosts of the records it changed.
    @discardableResult
    mutating func prune(before cutoff: Date) -> [String] {
        var hosts: [String] = []
        func old(_ incident: ProviderIncident) -> Bool {
            incident.at < cutoff && (incident.ended.map { $0 < cutoff } ?? (incident.kind == .failedStart))
        }
        // Read first: changing every record each second would copy those a snapshot shares.
        var due: [ProviderKey] = []
        for i in providers.values.indices where providers.values[i].incidents.contains(where: old) { due.append(providers.keys[i]) }
        for key in due {
            providers[key]!.incidents.removeAll(where: old)
            hosts.append(key.hostID)
        }
        providers.removeAll { key, r in
            let remove = r.incidents.isEmpty && !r.running && (r.lastSignOfLife.map { $0 < cutoff } ?? true)
            if remove { hosts.append(key.hostID) }
            return remove
        }
        return hosts
    }
}
