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
    public internal(set) var lastScaleFailure: ScaleFailure?
    public internal(set) var changedAt: Date
    var facts: ComponentFacts

    init(id: String, hostID: String, at: Date) {
        self.id = id
        self.hostID = hostID
        changedAt = at
        facts = ComponentFacts(lastTouched: at)
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
        if let scaled = facts.scaled, Stamp.isLater(scaled.stamp, than: facts.inventory?.stamp) {
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

        let present = Stamp.latest(facts.inventory?.stamp, facts.scaled.flatMap { $0.value.maxInstances > 0 ? $0.stamp : nil })
        let gone = Stamp.latest(absence, facts.scaled.flatMap { $0.value.maxInstances == 0 ? $0.stamp : nil })
        let status: ComponentStatus
        if Stamp.isLater(present, than: gone) {
            status = .running
        } else if let failure = facts.failure, Stamp.isLater(failure.stamp, than: Stamp.latest(present, facts.scaled?.stamp)) {
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
    /// The latest `component_scaled` (0 instances = stopped).
    var scaled: Stamped<ComponentScaledEvent>?
    var failure: Stamped<ComponentScaleFailedEvent>?
    /// Arrival of the latest fact, for retention.
    var lastTouched: Date

    mutating func touch(_ at: Date) {
        if at > lastTouched { lastTouched = at }
    }
}
