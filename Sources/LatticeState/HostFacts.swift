import Foundation
import LatticeProtocol

/// Everything heard about one host, each kind of report kept only in its latest version. The
/// host's visible fields are derived from these, so the order in which reports arrive does not
/// matter.
struct HostFacts: Sendable, Equatable {
    var started: Stamped<HostStartedEvent>?
    /// The latest authoritative inventory (`host_heartbeat` or a sync's `host.get`).
    var inventory: Stamped<HostInventory>?
    var inventoryComponentIDs: Set<String> = []
    var inventoryProviderIDs: Set<String> = []
    var ping: Stamped<HostInfo>?
    var labelsChanged: Stamped<[String: String]>?
    /// Terminal: a host ID never comes back after `host_stopped`.
    var stopped: Stamped<HostStoppedEvent>?
    var v2: Stamped<V2HostHeartbeat>?
    var v2Subject = ""
    /// The start of the latest complete sync this host did not answer.
    var missedPingAt: Date?
    /// Arrival of the first and the latest sign of life.
    var firstSeen: Date
    var lastSeen: Date

    /// The stamp after which a component or provider missing from the latest inventory is
    /// known not to run on this host.
    func absence(ofComponent id: String) -> Stamp? {
        guard let stamp = inventory?.stamp, !inventoryComponentIDs.contains(id) else { return nil }
        return stamp
    }

    func absence(ofProvider id: String) -> Stamp? {
        guard let stamp = inventory?.stamp, !inventoryProviderIDs.contains(id) else { return nil }
        return stamp
    }
}

/// Picks the value with the latest stamp among candidates offered one by one.
struct LatestPick<Value> {
    private(set) var stamp: Stamp?
    private(set) var value: Value?

    mutating func offer(_ stamp: Stamp?, _ value: Value?) {
        guard let stamp, let value, Stamp.isLater(stamp, than: self.stamp) else { return }
        self.stamp = stamp
        self.value = value
    }
}
