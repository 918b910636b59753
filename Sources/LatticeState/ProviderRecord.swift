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
    /// The provider's own message with its health (from latticetop's probe), if any.
    public internal(set) var healthMessage: String?
    /// Where the health shown came from (nil while pending, not probed or not running).
    public internal(set) var healthSource: HealthSource?
    /// Out of line (rarely set): 8 bytes instead of 41 in each slot of a host's provider table.
    public internal(set) var lastStartFailure: ProviderStartFailure? {
        get { lastStartFailureBox.value }
        set { lastStartFailureBox.value = newValue }
    }
    private var lastStartFailureBox = OutOfLineOptional<ProviderStartFailure>()
    /// Time of the latest lifecycle or health event about it.
    public internal(set) var lastEventAt: Date?
    /// Starts, failed starts, health changes and stops, oldest first, bounded.
    public internal(set) var history: [ProviderHistoryEntry] = []
    public internal(set) var changedAt: Date
    fileprivate var factsBox: OutOfLine<ProviderFacts>
    /// Read as a borrow and changed in place (a property wrapper's synthesized getter would
    /// copy the whole value out on every read of one field).
    var facts: ProviderFacts {
        _read { yield factsBox.wrappedValue }
        set { factsBox.wrappedValue = newValue }
        _modify { yield &factsBox.wrappedValue }
    }

    init(id: String, hostID: String, at: Date) {
        self.id = id
        self.hostID = hostID
        changedAt = at
        factsBox = OutOfLine(wrappedValue: ProviderFacts(firstSeen: at, lastTouched: at))
    }

    /// Whether `other` shows as this does in a pane's rows: equal but for the facts and the
    /// time of the latest event (shown only on its own screen).
    func showsSame(as other: ProviderRecord) -> Bool {
        var same = self
        same.factsBox = other.factsBox
        same.lastEventAt = other.lastEventAt
        return same == other
    }

    /// latticetop's latest probe of it: what it got and when.
    public var lastProbe: (outcome: ProbeOutcome, at: Date)? { facts.probe.map { ($0.value, $0.arrival) } }
    public var isManagedByWadm: Bool { WadmAnnotations.isManagedByWadm(annotations) }
    public var application: String? { WadmAnnotations.application(annotations) }
    public var isBuiltin: Bool { imageRef?.hasPrefix(Self.builtinPrefix) == true }
    /// Running, stopped or failed recently: everything but "never ran and nothing to say".
    public var isVisible: Bool { true }
    /// Not running, or running without a good health state.
    public var needsAttention: Bool { !status.isRunning || health.needsAttention }
    /// Known to be in trouble (the header's "unhealthy"): unhealthy, never healthy since its
    /// start, silent, or failed to start. A provider whose health is merely unknown (watching
    /// began after its last change) is not.
    public var isInTrouble: Bool {
        if case .failedToStart = status { return true }
        guard status.isRunning else { return false }
        switch health {
        case .unhealthy, .stale, .notReportedHealthy(_, true), .notAnswering, .noHealthEndpoint: return true
        default: return false
        }
    }

    /// Whether folding in `description` from a newer inventory that lists it, replacing the
    /// current inventory fact, leaves description and status as they are (see
    /// `ComponentRecord.isUnchanged(byInventoryListing:)`). Health does not depend on
    /// inventories; its staleness moves with ticks.
    func isUnchanged(byInventoryListing description: ProviderDescription) -> Bool {
        guard status == .running, let current = facts.inventory?.stamp else { return false }
        if let later = facts.started?.stamp, later > current { return false }
        if let later = facts.stopped?.stamp, later > current { return false }
        if let later = facts.startFailure?.stamp, later > current { return false }
        return facts.inventory!.value == description
    }

    /// Recomputes description, status and health; `absence` is the host's latest inventory
    /// stamp when that inventory does not list this provider. Health reports change neither
    /// the description nor the start failure, so they skip that part.
    mutating func refresh(absence: Stamp?, now: Date, configuration: LatticeStateConfiguration, at: Date,
                          includingDescription: Bool = true) {
        var changed = false
        if includingDescription { changed = refreshDescription() }
        let running = Stamp.latest(Stamp.latest(facts.inventory?.stamp, facts.started?.stamp), facts.report?.stamp)
        let stop = facts.stopped?.stamp
        let status: ProviderStatus
        if Stamp.isLater(running, than: Stamp.latest(stop, absence)) {
            status = .running
        } else if let failure = facts.startFailure, Stamp.isLater(failure.stamp, than: Stamp.latest(running, stop)) {
            status = .failedToStart(error: failure.value.error, at: failure.stamp.time)
        } else if let stopped = facts.stopped, Stamp.isLater(stopped.stamp, than: running) {
            status = .stopped(at: stopped.stamp.time, reason: stopped.value.reason)
        } else if let absence {
            status = .notInInventory(since: absence.time)
        } else if let failure = facts.startFailure {
            status = .failedToStart(error: failure.value.error, at: failure.stamp.time)
        } else {
            status = .notInInventory(since: .distantPast)
        }
        var lastEvent = LatestPick<Date>()
        lastEvent.offer(facts.started?.stamp, facts.started?.stamp.time)
        lastEvent.offer(facts.stopped?.stamp, facts.stopped?.stamp.time)
        lastEvent.offer(facts.startFailure?.stamp, facts.startFailure?.stamp.time)
        lastEvent.offer(facts.report?.stamp, facts.report?.stamp.time)
        if status != self.status {
            self.status = status
            changed = true
        }
        // A newer event that changes nothing else (a health report repeating the last verdict)
        // is not a change of the provider: its row is not highlighted for it.
        if lastEvent.value != lastEventAt { lastEventAt = lastEvent.value }
        if changed { changedAt = at }
        refreshHealth(now: now, configuration: configuration, at: at)
    }

    /// Image, name, annotations, revision and the last start failure. Returns whether any changed.
    private mutating func refreshDescription() -> Bool {
        var imageRef: String?, name: String?, annotations: [String: String] = [:], revision: Int32 = 0
        if facts.inventory != nil {
            imageRef = facts.inventory!.value.imageRef
            name = facts.inventory!.value.name
            annotations = facts.inventory!.value.annotations ?? [:]
            revision = facts.inventory!.value.revision
        }
        if facts.started != nil, Stamp.isLater(facts.started!.stamp, than: facts.inventory?.stamp) {
            imageRef = facts.started!.value.imageRef.nonEmpty ?? imageRef
            annotations = facts.started!.value.annotations
            name = name ?? facts.started!.value.claims?.name
        } else if facts.inventory == nil, facts.started == nil {
            imageRef = facts.startFailure?.value.providerRef.nonEmpty
            annotations = facts.stopped?.value.annotations ?? [:]
        }
        let failure = facts.startFailure.map {
            ProviderStartFailure(error: $0.value.error, providerRef: $0.value.providerRef, at: $0.stamp.time)
        }
        guard imageRef != self.imageRef || name != self.name || annotations != self.annotations
            || revision != self.revision || failure != lastStartFailure
        else { return false }
        self.imageRef = imageRef
        self.name = name
        self.annotations = annotations
        self.revision = revision
        lastStartFailure = failure
        return true
    }

    /// Recomputes health for the clock reading `now` (staleness moves with the clock). The host's
    /// verdicts and latticetop's probe answers are one run of verdicts (the latest wins, `since`
    /// is where the current run began); a probe that got no answer, later than any verdict,
    /// says so; without an answer for the stale threshold it is stale.
    @discardableResult
    mutating func refreshHealth(now: Date, configuration: LatticeStateConfiguration, at: Date) -> Bool {
        let derived = derivedHealth(now: now, configuration: configuration)
        guard derived != (health, healthMessage, healthSource) else { return false }
        (health, healthMessage, healthSource) = derived
        changedAt = at
        return true
    }

    /// Stopped for longer than it is kept.
    func isExpired(now: Date, configuration c: LatticeStateConfiguration) -> Bool {
        !status.isRunning && now.timeIntervalSince(facts.lastTouched) > c.stoppedProviderRetention
    }

    /// Whether `refreshHealth` at `now` would change anything (read only: the clock's tick asks
    /// this of every provider each second, and changes only those it must).
    func healthIsDue(now: Date, configuration: LatticeStateConfiguration) -> Bool {
        derivedHealth(now: now, configuration: configuration) != (health, healthMessage, healthSource)
    }

    /// Health, its message and its source as the facts and the clock give them.
    private func derivedHealth(now: Date, configuration: LatticeStateConfiguration)
        -> (health: ProviderHealth, message: String?, source: HealthSource?) {
        var health: ProviderHealth
        var message: String?
        var source: HealthSource?
        if !status.isRunning {
            health = .notRunning
        } else if isBuiltin {
            health = .notProbed
        } else {
            let start = facts.started?.stamp
            let run = facts.run.flatMap { Stamp.isLater($0.latest, than: start) ? $0 : nil }
            let (report, probe, reference) = healthReference
            let since = { (time: Date) in max(time, start?.time ?? time) }
            if let probe, probe.value.verdict == nil, Stamp.isLater(probe.stamp, than: run?.latest) {
                let from = since(facts.probeSince)
                health = probe.value == .notAnswering ? .notAnswering(since: from) : .noHealthEndpoint(since: from)
                source = .probe
            } else if now.timeIntervalSince(reference) > configuration.providerHealthStaleAfter {
                health = .stale(lastReport: report?.stamp.time,
                                lastVerdict: run.map { HealthVerdict(healthy: $0.healthy, at: $0.latest.time) })
            } else if let run {
                health = run.healthy ? .healthy(since: since(run.since)) : .unhealthy(since: since(run.since))
                source = run.source
                if let probe, probe.value.verdict == run.healthy { message = probe.value.message }
            } else if let report {
                health = .notReportedHealthy(lastReport: report.stamp.time, startObserved: facts.started != nil)
                source = .hostEvent
            } else {
                health = .pending
            }
        }
        return (health, message, source)
    }

    /// The report and probe answer since the provider's start, and the latest arrival of news
    /// of its health: health goes stale `providerHealthStaleAfter` after it.
    private var healthReference: (report: Stamped<Bool?>?, probe: Stamped<ProbeOutcome>?, reference: Date) {
        let start = facts.started?.stamp
        let report = facts.report.flatMap { Stamp.isLater($0.stamp, than: start) ? $0 : nil }
        let probe = facts.probe.flatMap { Stamp.isLater($0.stamp, than: start) ? $0 : nil }
        var reference = report?.arrival ?? facts.started?.arrival ?? facts.firstSeen
        if let probe, probe.value.verdict != nil, probe.arrival > reference { reference = probe.arrival }
        return (report, probe, reference)
    }

    /// The moment at which time alone changes this provider: running, its health goes stale;
    /// stopped, it is kept no longer (`LatticeState.nextClockMoment`); nil: never (built in).
    func clockMoment(configuration c: LatticeStateConfiguration) -> Date? {
        guard status.isRunning else { return facts.lastTouched.addingTimeInterval(c.stoppedProviderRetention) }
        return isBuiltin ? nil : healthReference.reference.addingTimeInterval(c.providerHealthStaleAfter)
    }

    mutating func record(_ entry: ProviderHistoryEntry, capacity: Int) {
        history.insertKeepingLatest(entry, capacity: capacity)
    }
}

/// The latest report of each kind about one provider on one host.
struct ProviderFacts: Sendable, Equatable {
    /// The latest inventory that listed it.
    var inventory: Stamped<ProviderDescription>?
    /// The start, stop and failed-start events: only for providers seen starting or stopping
    /// while the dashboard watched, so out of line and only when there is one (~440 bytes less
    /// for each provider known from inventories alone).
    private var lifecycle = OutOfLineWhenSet<ProviderLifecycleFacts>()
    var started: Stamped<ProviderStartedEvent>? {
        get { lifecycle.fact { $0.started } }
        set { lifecycle.value.started = newValue }
    }
    var stopped: Stamped<ProviderStoppedEvent>? {
        get { lifecycle.fact { $0.stopped } }
        set { lifecycle.value.stopped = newValue }
    }
    var startFailure: Stamped<ProviderStartFailedEvent>? {
        get { lifecycle.fact { $0.startFailure } }
        set { lifecycle.value.startFailure = newValue }
    }
    /// Whether the lifecycle facts have a box (one of them is set).
    var keepsLifecycleFacts: Bool { lifecycle.isKept }
    /// The current run of verdicts (host `health_check_passed`/`_failed`, probe answers).
    var run: HealthRun?
    /// latticetop's latest probe of it, and when the current kind of answer began.
    var probe: Stamped<ProbeOutcome>?
    var probeSince: Date = .distantPast
    /// The latest health event of any of the three kinds (its `arrival` drives staleness).
    var report: Stamped<Bool?>?
    var firstSeen: Date
    var lastTouched: Date

    init(firstSeen: Date, lastTouched: Date) {
        self.firstSeen = firstSeen
        self.lastTouched = lastTouched
    }

    /// A verdict from either source. The host sends one only when health changes, so its verdict
    /// starts a run; a probe answer that agrees continues the run (unless a probe went unanswered
    /// since). One older than the run's latest changes nothing.
    mutating func noteVerdict(_ healthy: Bool, stamp: Stamp, source: HealthSource) {
        if let run, run.latest >= stamp { return }
        if source == .probe, let run, run.healthy == healthy, !run.interrupted {
            self.run!.latest = stamp
            self.run!.source = source
        } else {
            run = HealthRun(healthy: healthy, since: stamp.time, latest: stamp, source: source)
        }
    }

    /// A probe result; returns whether it starts a new spell: another kind of answer than the
    /// previous probe's, or the same after the provider answered in between.
    mutating func noteProbe(_ outcome: ProbeOutcome, stamp: Stamp, at: Date, after start: Stamp?) -> Bool {
        let previous = probe.flatMap { Stamp.isLater($0.stamp, than: start) ? $0 : nil }
        if let previous, previous.stamp >= stamp { return false }
        var changed = previous.map { !$0.value.sameKind(as: outcome) } ?? true
        if let previous, let run, run.latest > previous.stamp, outcome.verdict != run.healthy { changed = true }
        if changed { probeSince = stamp.time }
        probe = Stamped(stamp: stamp, value: outcome, arrival: at)
        if let verdict = outcome.verdict {
            noteVerdict(verdict, stamp: stamp, source: .probe)
        } else if let run, stamp > run.latest {
            self.run!.interrupted = true
        }
        return changed
    }

    mutating func touch(_ at: Date) {
        if at > lastTouched { lastTouched = at }
        if at < firstSeen { firstSeen = at }
    }
}

/// A run of agreeing health verdicts: since when, the latest one, and where that one came from.
struct HealthRun: Sendable, Equatable {
    var healthy: Bool
    var since: Date
    var latest: Stamp
    var source: HealthSource
    /// A probe went unanswered after `latest`: the next answer starts a new run.
    var interrupted = false
}

/// A provider's lifecycle events (`ProviderFacts.started`, `.stopped`, `.startFailure`).
struct ProviderLifecycleFacts: RarelySet {
    var started: Stamped<ProviderStartedEvent>?
    var stopped: Stamped<ProviderStoppedEvent>?
    var startFailure: Stamped<ProviderStartFailedEvent>?

    var isEmpty: Bool { started == nil && stopped == nil && startFailure == nil }
}
