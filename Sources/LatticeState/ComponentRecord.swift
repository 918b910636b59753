import Foundation
import LatticeProtocol

/// A component on one host.
public struct ComponentRecord: Sendable, Equatable, Identifiable {
    public let id: String
    public let hostID: String
    public internal(set) var imageRef = ""
    /// From embedded claims (signed components only).
    public internal(set) var name: String?
    public internal(set) var maxInstances: UInt32 = 0
    public internal(set) var annotations: [String: String] = [:]
    public internal(set) var revision: Int32 = 0
    /// v1.9+ (`max_memory_limit`, `max_execution_time`).
    public internal(set) var limits: [String: String]?
    public internal(set) var status: ComponentStatus = .removed(at: .distantPast)
    /// The latest failed scale, even if the component still runs (e.g. a failed scale-up).
    /// Out of line (rarely set): 8 bytes instead of 49 in each slot of a host's component table.
    public internal(set) var lastScaleFailure: ScaleFailure? {
        get { lastScaleFailureBox.value }
        set { lastScaleFailureBox.value = newValue }
    }
    private var lastScaleFailureBox = OutOfLineOptional<ScaleFailure>()
    public internal(set) var changedAt: Date
    fileprivate var factsBox: OutOfLine<ComponentFacts>
    /// Read as a borrow and changed in place (a property wrapper's synthesized getter would
    /// copy the whole value out on every read of one field).
    var facts: ComponentFacts {
        _read { yield factsBox.wrappedValue }
        set { factsBox.wrappedValue = newValue }
        _modify { yield &factsBox.wrappedValue }
    }

    init(id: String, hostID: String, at: Date) {
        self.id = id
        self.hostID = hostID
        changedAt = at
        factsBox = OutOfLine(wrappedValue: ComponentFacts(lastTouched: at))
    }

    /// Failed or gone for longer than it is kept.
    func isExpired(now: Date, configuration c: LatticeStateConfiguration) -> Bool {
        switch status {
        case .running: return false
        case .scaleFailed: return now.timeIntervalSince(facts.lastTouched) > c.failedComponentRetention
        case .removed: return now.timeIntervalSince(facts.lastTouched) > c.tombstoneRetention
        }
    }

    /// The moment at which time alone removes it (`isExpired`); nil: never.
    func clockMoment(configuration c: LatticeStateConfiguration) -> Date? {
        switch status {
        case .running: nil
        case .scaleFailed: facts.lastTouched.addingTimeInterval(c.failedComponentRetention)
        case .removed: facts.lastTouched.addingTimeInterval(c.tombstoneRetention)
        }
    }

    /// Whether `other` shows as this does: equal but for the facts.
    func showsSame(as other: ComponentRecord) -> Bool {
        var same = self
        same.factsBox = other.factsBox
        return same == other
    }

    public var isManagedByWadm: Bool { WadmAnnotations.isManagedByWadm(annotations) }
    public var application: String? { WadmAnnotations.application(annotations) }
    public var isVisible: Bool {
        if case .removed = status { return false }
        return true
    }

    /// Whether folding in `description` from a newer inventory that lists it, replacing the
    /// current inventory fact, leaves every derived field as it is: it runs, nothing but that
    /// inventory decides its fields, and the description is the same. (Heartbeats repeat the
    /// same inventory every 30 s; this keeps them cheap.)
    func isUnchanged(byInventoryListing description: ComponentDescription) -> Bool {
        guard status == .running, let current = facts.inventory?.stamp else { return false }
        if let later = facts.scaled?.stamp, later > current { return false }
        if let later = facts.failure?.stamp, later > current { return false }
        return facts.inventory!.value == description
    }

    /// Recomputes the visible fields; `absence` is the host's latest inventory stamp when that
    /// inventory does not list this component.
    mutating func refresh(absence: Stamp?, at: Date) {
        var imageRef = "", name: String?, maxInstances: UInt32 = 0, annotations: [String: String] = [:]
        var revision: Int32 = 0, limits: [String: String]?
        if let inventory = facts.inventory?.value {
            imageRef = inventory.imageRef
            name = inventory.name
            maxInstances = inventory.maxInstances
            annotations = inventory.annotations ?? [:]
            revision = inventory.revision
            limits = inventory.limits
        }
        // The scale-0 that ends a `component.update` does not stop anything: the scale-up to
        // the new reference just before it is the last word (protocol reference §2.3.4).
        let scaledFact = facts.updateSequenceUp ?? facts.scaled
        if let scaled = scaledFact, Stamp.isLater(scaled.stamp, than: facts.inventory?.stamp) {
            let e = scaled.value
            imageRef = e.imageRef
            annotations = e.annotations
            if e.maxInstances > 0 || facts.inventory == nil { maxInstances = e.maxInstances }
            if let claims = e.claims {
                name = claims.name ?? name
                revision = claims.revision ?? revision
            }
        } else if facts.inventory == nil, facts.scaled == nil, let failed = facts.failure?.value {
            imageRef = failed.imageRef
            annotations = failed.annotations
        }

        let present = Stamp.latest(facts.inventory?.stamp, scaledFact.flatMap { $0.value.maxInstances > 0 ? $0.stamp : nil })
        let gone = Stamp.latest(absence, scaledFact.flatMap { $0.value.maxInstances == 0 ? $0.stamp : nil })
        let status: ComponentStatus
        if Stamp.isLater(present, than: gone) {
            status = .running
        } else if let failure = facts.failure, Stamp.isLater(failure.stamp, than: Stamp.latest(present, scaledFact?.stamp)) {
            status = .scaleFailed(error: failure.value.error, at: failure.stamp.time)
        } else {
            status = .removed(at: (gone ?? present ?? facts.failure?.stamp)?.time ?? .distantPast)
        }
        let lastFailure = facts.failure.map {
            ScaleFailure(error: $0.value.error, imageRef: $0.value.imageRef, requestedInstances: $0.value.maxInstances, at: $0.stamp.time)
        }

        guard imageRef != self.imageRef || name != self.name || maxInstances != self.maxInstances
            || annotations != self.annotations || revision != self.revision || limits != self.limits
            || status != self.status || lastFailure != lastScaleFailure
        else { return }
        self.imageRef = imageRef
        self.name = name
        self.maxInstances = maxInstances
        self.annotations = annotations
        self.revision = revision
        self.limits = limits
        self.status = status
        lastScaleFailure = lastFailure
        changedAt = at
    }
}

/// The latest report of each kind about one component on one host.
struct ComponentFacts: Sendable, Equatable {
    /// The latest inventory that listed it.
    var inventory: Stamped<ComponentDescription>?
    /// Arrival of the latest fact, for retention.
    var lastTouched: Date
    /// The scale events and failures: only for components seen scaled (or failing) while the
    /// dashboard watched, so out of line and only when there is one (at 50 000 components
    /// listed by inventories, ~360 bytes less each).
    private var events = OutOfLineWhenSet<ComponentEventFacts>()

    init(lastTouched: Date) {
        self.lastTouched = lastTouched
    }

    /// The latest `component_scaled` (0 instances = stopped).
    var scaled: Stamped<ComponentScaledEvent>? {
        get { events.fact { $0.scaled } }
        set { events.value.scaled = newValue }
    }

    var failure: Stamped<ComponentScaleFailedEvent>? {
        get { events.fact { $0.failure } }
        set { events.value.failure = newValue }
    }

    /// The last few `component_scaled` in stamp order (the update sequence is told by the ones
    /// before the latest).
    var recentScaled: [Stamped<ComponentScaledEvent>] {
        get { events.value.recentScaled }
        set { events.value.recentScaled = newValue }
    }

    /// Whether the event facts have a box (one of them is set).
    var keepsEventFacts: Bool { events.isKept }

    /// How far apart (host clock) the two events of one host action are at most: the update's
    /// scale-up and scale-0, a fresh start's two `component_scaled`.
    static let sequenceWindow: TimeInterval = 5
    static let recentScaledLimit = 4

    mutating func touch(_ at: Date) {
        if at > lastTouched { lastTouched = at }
    }

    /// Keeps `scaled` among the recent ones. Returns whether it only repeats the one just before
    /// it (same reference and instances, within the window): a fresh start on a 1.6+ host
    /// publishes `component_scaled` twice, once from starting the component and once from the
    /// scale task.
    mutating func noteScaled(_ scaled: Stamped<ComponentScaledEvent>) -> Bool {
        guard !recentScaled.contains(where: { $0.stamp == scaled.stamp }) else { return false }
        let i = recentScaled.firstIndex { $0.stamp > scaled.stamp } ?? recentScaled.endIndex
        recentScaled.insert(scaled, at: i)
        let repeats = i > 0 && Self.repeats(scaled, recentScaled[i - 1])
        if recentScaled.count > Self.recentScaledLimit { recentScaled.removeFirst() }
        return repeats
    }

    private static func repeats(_ later: Stamped<ComponentScaledEvent>, _ earlier: Stamped<ComponentScaledEvent>) -> Bool {
        later.value.maxInstances > 0 && later.value.maxInstances == earlier.value.maxInstances
            && later.value.imageRef == earlier.value.imageRef
            && later.stamp.time.timeIntervalSince(earlier.stamp.time) <= sequenceWindow
    }

    /// When the latest `component_scaled` is the scale-0 that ends a `component.update`, the
    /// scale-up to the new reference it follows. A successful update publishes the new
    /// reference at the current maximum, then a scale-0 whose `image_ref` is the new reference
    /// (1.1+) or the old one (1.0); the component keeps running with the new one. It is an update
    /// when the component ran with another reference right before the scale-up.
    var updateSequenceUp: Stamped<ComponentScaledEvent>? {
        let n = recentScaled.count
        guard n >= 2, let tail = recentScaled.last, tail.value.maxInstances == 0 else { return nil }
        var u = n - 2
        // A fresh start's repeated scale-up does not separate the pair.
        while u > 0, Self.repeats(recentScaled[u], recentScaled[u - 1]) { u -= 1 }
        let up = recentScaled[u]
        guard up.value.maxInstances > 0, tail.stamp.time.timeIntervalSince(recentScaled[n - 2].stamp.time) <= Self.sequenceWindow else { return nil }
        // What ran just before the scale-up: the latest earlier scale event or inventory listing.
        let before = u > 0 ? recentScaled[u - 1] : nil
        let prior: String?
        if let inventory, inventory.stamp < up.stamp, Stamp.isLater(inventory.stamp, than: before?.stamp) {
            prior = inventory.value.imageRef
        } else if let before, before.value.maxInstances > 0 {
            prior = before.value.imageRef
        } else {
            prior = nil
        }
        guard let prior, prior != up.value.imageRef,
              tail.value.imageRef == up.value.imageRef || tail.value.imageRef == prior else { return nil }
        return up
    }
}

/// A component's facts from scale events (`ComponentFacts.scaled`, `.failure`, `.recentScaled`).
struct ComponentEventFacts: RarelySet {
    var scaled: Stamped<ComponentScaledEvent>?
    var failure: Stamped<ComponentScaleFailedEvent>?
    var recentScaled: [Stamped<ComponentScaledEvent>] = []

    var isEmpty: Bool { scaled == nil && failure == nil && recentScaled.isEmpty }
}
