import Foundation
import LatticeProtocol

/// A named config. Events carry only its name, so values can be unknown or out of date.
public struct ConfigRecord: Sendable, Equatable, Identifiable {
    public let id: String
    public internal(set) var exists = false
    /// The values as last fetched; `nil` when never fetched.
    public internal(set) var values: [String: String]?
    /// `config_set` came after the last fetch (or there was no fetch): fetch it again.
    public internal(set) var valuesAreStale = true
    public internal(set) var changedAt: Date
    var facts: ConfigFacts

    init(name: String, at: Date) {
        id = name
        changedAt = at
        facts = ConfigFacts(lastTouched: at)
    }

    public var name: String { id }
    /// A secret reference (`SECRET_…`): never fetched, never listed with values.
    public var isSecretReference: Bool { SecretReference.isReference(id) }

    /// `absence`: the latest config-name listing's stamp when it does not list this name.
    @discardableResult
    mutating func refresh(absence: Stamp?, at: Date) -> Bool {
        let observedValues = facts.observed.flatMap { $0.value == nil ? nil : $0 }
        let observedMissing = facts.observed.flatMap { $0.value == nil ? $0.stamp : nil }
        let present = Stamp.latest(facts.set, observedValues?.stamp)
        let gone = Stamp.latest(Stamp.latest(facts.deleted, observedMissing), absence)
        let exists = Stamp.isLater(present, than: gone)
        let values = exists ? observedValues?.value ?? nil : nil
        let stale = exists && (values == nil || Stamp.isLater(facts.set, than: observedValues?.stamp))
        guard exists != self.exists || values != self.values || stale != valuesAreStale else { return false }
        self.exists = exists
        self.values = values
        valuesAreStale = stale
        changedAt = at
        return true
    }
}

/// The latest report of each kind about one named config.
struct ConfigFacts: Sendable, Equatable {
    var set: Stamp?
    var deleted: Stamp?
    /// The latest values seen (`config.get` or a sync's listing); `nil` value: not found.
    var observed: Stamped<[String: String]?>?
    var lastTouched: Date

    mutating func touch(_ at: Date) {
        if at > lastTouched { lastTouched = at }
    }
}
