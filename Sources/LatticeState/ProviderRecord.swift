import Foundation
import LatticeProtocol

/// A capability provider on one host, with its health and recent history.
public struct ProviderRecord: Sendable, Equatable, Identifiable {
    public static let builtinPrefix = "wasmcloud+builtin://"

    public let id: String
    public let hostID: String
    public internal(set) var imageRef: String?
    public internal(set) var name: String?
    public internal(set) var annotations: [String: String] = [:]
    public internal(set) var revision: Int32 = 0
    public internal(set) var status: ProviderStatus = .notInInventory(since: .distantPast)
    public internal(set) var health: ProviderHealth = .pending
    public internal(set) var lastStartFailure: ProviderStartFailure?
    /// Time of the latest lifecycle or health event about it.
    public internal(set) var lastEventAt: Date?
    /// Starts, failed starts, health changes and stops, oldest first, bounded.
    public internal(set) var history: [ProviderHistoryEntry] = []
    public internal(set) var changedAt: Date
    var facts: ProviderFacts

    init(id: String, hostID: String, at: Date) {
        self.id = id
        self.hostID = hostID
        changedAt = at
        facts = ProviderFacts(firstSeen: at, lastTouched: at)
    }

    public var isManagedByWadm: Bool { WadmAnnotations.isManagedByWadm(annotations) }
    public var application: String? { WadmAnnotations.application(annotations) }
    public var isBuiltin: Bool { imageRef?.hasPrefix(Self.builtinPrefix) == true }
    /// Running, stopped or failed recently: everything but "never ran and nothing to say".
    public var isVisible: Bool { true }
    /// Not running, or running without a good health state.
    public var needsAttention: Bool { !status.isRunning || health.needsAttention }

    /// Recomputes description and status; `absence` is the host's latest inventory stamp when
    /// that inventory does not list this provider.
    mutating func refresh(absence: Stamp?, now: Date, configuration: LatticeStateConfiguration, at: Date) {
        let f = facts
        var imageRef: String?, name: String?, annotations: [String: String] = [:], revision: Int32 = 0
        if let inventory = f.inventory?.value {
            imageRef = inventory.imageRef
            name = inventory.name
            annotations = inventory.annotations ?? [:]
            revision = inventory.revision
        }
        if let started = f.started, Stamp.isLater(started.stamp, than: f.inventory?.stamp) {
            imageRef = started.value.imageRef.nonEmpty ?? imageRef
            annotations = started.value.annotations
            name = name ?? started.value.claims?.name
        } else if f.inventory == nil, f.started == nil {
            imageRef = f.startFailure?.value.providerRef.nonEmpty
            annotations = f.stopped?.value.annotations ?? [:]
        }

        let running = Stamp.latest(Stamp.latest(f.inventory?.stamp, f.started?.stamp), f.report?.stamp)
        let stop = f.stopped?.stamp
        let status: ProviderStatus
        if Stamp.isLater(running, than: Stamp.latest(stop, absence)) {
            status = .running
        } else if let failure = f.startFailure, Stamp.isLater(failure.stamp, than: Stamp.latest(running, stop)) {
            status = .failedToStart(error: failure.value.error, at: failure.stamp.time)
        } else if let stopped = f.stopped, Stamp.isLater(stopped.stamp, than: running) {
            status = .stopped(at: stopped.stamp.time, reason: stopped.value.reason)
        } else if let absence {
            status = .notInInventory(since: absence.time)
        } else if let failure = f.startFailure {
            status = .failedToStart(error: failure.value.error, at: failure.stamp.time)
        } else {
            status = .notInInventory(since: .distantPast)
        }
        let failure = f.startFailure.map {
            ProviderStartFailure(error: $0.value.error, providerRef: $0.value.providerRef, at: $0.stamp.time)
        }
        var lastEvent = LatestPick<Date>()
        lastEvent.offer(f.started?.stamp, f.started?.stamp.time)
        lastEvent.offer(f.stopped?.stamp, f.stopped?.stamp.time)
        lastEvent.offer(f.startFailure?.stamp, f.startFailure?.stamp.time)
        lastEvent.offer(f.report?.stamp, f.report?.stamp.time)

        if imageRef != self.imageRef || name != self.name || annotations != self.annotations
            || revision != self.revision || status != self.status || failure != lastStartFailure
            || lastEvent.value != lastEventAt {
            self.imageRef = imageRef
            self.name = name
            self.annotations = annotations
            self.revision = revision
            self.status = status
            lastStartFailure = failure
            lastEventAt = lastEvent.value
            changedAt = at
        }
        refreshHealth(now: now, configuration: configuration, at: at)
    }

    /// Recomputes health for the clock reading `now` (staleness moves with the clock).
    mutating func refreshHealth(now: Date, configuration: LatticeStateConfiguration, at: Date) {
        let f = facts
        let health: ProviderHealth
        if !status.isRunning {
            health = .notRunning
        } else if isBuiltin {
            health = .notProbed
        } else {
            let start = f.started?.stamp
            let verdict = f.verdict.flatMap { Stamp.isLater($0.stamp, than: start) ? $0 : nil }
            let report = f.report.flatMap { Stamp.isLater($0.stamp, than: start) ? $0 : nil }
            let reference = report?.arrival ?? f.started?.arrival ?? f.firstSeen
            if now.timeIntervalSince(reference) > configuration.providerHealthStaleAfter {
                health = .stale(lastReport: report?.stamp.time,
                                lastVerdict: verdict.map { HealthVerdict(healthy: $0.value, at: $0.stamp.time) })
            } else if let verdict {
                health = verdict.value ? .healthy(since: verdict.stamp.time) : .unhealthy(since: verdict.stamp.time)
            } else if let report {
                health = .notReportedHealthy(lastReport: report.stamp.time, startObserved: f.started != nil)
            } else {
                health = .pending
            }
        }
        if health != self.health {
            self.health = health
            changedAt = at
        }
    }

    mutating func record(_ entry: ProviderHistoryEntry, capacity: Int) {
        history.insertKeepingLatest(entry, capacity: capacity)
    }
}

/// The latest report of each kind about one provider on one host.
struct ProviderFacts: Sendable, Equatable {
    /// The latest inventory that listed it.
    var inventory: Stamped<ProviderDescription>?
    var started: Stamped<ProviderStartedEvent>?
    var stopped: Stamped<ProviderStoppedEvent>?
    var startFailure: Stamped<ProviderStartFailedEvent>?
    /// The latest `health_check_passed` (true) or `health_check_failed` (false).
    var verdict: Stamped<Bool>?
    /// The latest health event of any of the three kinds (its `arrival` drives staleness).
    var report: Stamped<Bool?>?
    var firstSeen: Date
    var lastTouched: Date

    mutating func touch(_ at: Date) {
        if at > lastTouched { lastTouched = at }
        if at < firstSeen { firstSeen = at }
    }
}
