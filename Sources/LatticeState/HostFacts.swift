import Foundation
import LatticeProtocol

/// Everything heard about one host, each kind of report kept only in its latest version. The
/// host's visible fields are derived from these, so the order in which reports arrive does not
/// matter.
struct HostFacts: Sendable, Equatable {
    /// The latest authoritative inventory (`host_heartbeat` or a sync's `host.get`).
    var inventory: Stamped<HostInventory>?
    var inventoryComponentIDs: Set<String> = []
    var inventoryProviderIDs: Set<String> = []
    var ping: Stamped<HostInfo>?
    var v2Subject = ""
    /// The start of the latest complete sync this host did not answer.
    var missedPingAt: Date?
    /// Arrival of the first and the latest sign of life.
    var firstSeen: Date
    var lastSeen: Date
    /// Start, stop, label changes and v2 heartbeats: a v1 host that runs on, seen since before
    /// the dashboard started, has none of them, so they are out of line and kept only when set.
    private var rare = OutOfLineWhenSet<RareHostFacts>()

    init(firstSeen: Date, lastSeen: Date) {
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }

    var started: Stamped<HostStartedEvent>? {
        get { rare.fact { $0.started } }
        set { rare.value.started = newValue }
    }
    var labelsChanged: Stamped<[String: String]>? {
        get { rare.fact { $0.labelsChanged } }
        set { rare.value.labelsChanged = newValue }
    }
    /// Terminal: a host ID never comes back after `host_stopped`.
    var stopped: Stamped<HostStoppedEvent>? {
        get { rare.fact { $0.stopped } }
        set { rare.value.stopped = newValue }
    }
    var v2: Stamped<V2HostHeartbeat>? {
        get { rare.fact { $0.v2 } }
        set { rare.value.v2 = newValue }
    }
    /// Whether the rare facts have a box (one of them is set).
    var keepsRareFacts: Bool { rare.isKept }

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

/// A host's rarely set facts (`HostFacts.started`, `.labelsChanged`, `.stopped`, `.v2`).
struct RareHostFacts: RarelySet {
    var started: Stamped<HostStartedEvent>?
    var labelsChanged: Stamped<[String: String]>?
    var stopped: Stamped<HostStoppedEvent>?
    var v2: Stamped<V2HostHeartbeat>?

    var isEmpty: Bool { started == nil && labelsChanged == nil && stopped == nil && v2 == nil }
}
