import Foundation
import LatticeProtocol

/// A wadm application.
public struct ApplicationRecord: Sendable, Equatable, Identifiable {
    public let id: String
    public internal(set) var exists = false
    public internal(set) var version: String?
    public internal(set) var deployedVersion: String?
    public internal(set) var description: String?
    public internal(set) var status: WadmStatusType = .undeployed
    public internal(set) var statusMessage = ""
    public internal(set) var scalers: [WadmScalerStatus] = []
    /// When the status shown was reported (list reply or `wadm.status` message).
    public internal(set) var statusAt: Date?
    public internal(set) var changedAt: Date
    var facts: ApplicationFacts

    init(name: String, at: Date) {
        id = name
        changedAt = at
        facts = ApplicationFacts(lastTouched: at)
    }

    public var name: String { id }

    /// `absence`: the latest application list's stamp when it does not list this app.
    mutating func refresh(absence: Stamp?, at: Date) {
        let present = Stamp.latest(Stamp.latest(facts.listed?.stamp, facts.published?.stamp), facts.status?.stamp)
        let exists = Stamp.isLater(present, than: Stamp.latest(facts.unpublished, absence))

        var version = LatestPick<String>()
        version.offer(facts.listed?.stamp, facts.listed?.value.version.nonEmpty)
        version.offer(facts.published?.stamp, facts.published?.value.version)
        var status = LatestPick<(WadmStatusType, String, [WadmScalerStatus])>()
        if let listed = facts.listed {
            let s = listed.value.detailedStatus
            status.offer(listed.stamp, (listed.value.effectiveStatus, s?.status.message ?? listed.value.statusMessage ?? "", s?.scalers ?? []))
        }
        if let reported = facts.status {
            status.offer(reported.stamp, (reported.value.status.type, reported.value.status.message, reported.value.scalers))
        }
        let new = (status.value?.0 ?? .undeployed, status.value?.1 ?? "", status.value?.2 ?? [])
        guard exists != self.exists || version.value != self.version || facts.listed?.value.deployedVersion != deployedVersion
            || facts.listed?.value.description != description || new.0 != self.status || new.1 != statusMessage
            || new.2 != scalers || status.stamp?.time != statusAt
        else { return }
        self.exists = exists
        self.version = version.value
        deployedVersion = facts.listed?.value.deployedVersion
        description = facts.listed?.value.description
        self.status = new.0
        statusMessage = new.1
        scalers = new.2
        statusAt = status.stamp?.time
        changedAt = at
    }
}

/// The latest report of each kind about one wadm application.
struct ApplicationFacts: Sendable, Equatable {
    var listed: Stamped<ModelSummary>?
    var status: Stamped<WadmStatus>?
    var published: Stamped<PublishedManifest>?
    var unpublished: Stamp?
    var lastTouched: Date

    mutating func touch(_ at: Date) {
        if at > lastTouched { lastTouched = at }
    }
}

/// What the model keeps of a `manifest_published` event.
struct PublishedManifest: Sendable, Equatable {
    var version: String?
}
