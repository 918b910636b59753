import Foundation
import LatticeClient
import LatticeProtocol
import LatticeState
import Synchronization

/// A host's heartbeat (and a sync's `host.get` reply) lists everything on the host, and nearly
/// always repeats the previous one. Each decode makes new copies of it all: about 12 KB of small
/// allocations for a host with 5 components and 2 providers, which wait in the hand-over to the
/// UI and then replace the model's copy, the same data, every heartbeat. At 10,000 hosts that is
/// 100+ MB waiting whenever the UI loop lags, and heap fragmentation from replacing long-lived
/// data all the time.
///
/// This keeps the last inventory seen of each host and gives a newer one the parts it repeats
/// (the component and provider lists, or each unchanged component and provider, the labels, the
/// names) from it, so the copies just decoded are freed at once and what waits and what the model
/// keeps share one copy. Values are unchanged (each part is replaced only by an equal one).
public final class InventorySharing: Sendable {
    private struct State {
        var known: [String: (inventory: HostInventory, seen: Date)] = [:]
        var nextSweep: Date?
    }

    private let state = Mutex(State())
    /// The most hosts remembered; past it the memory starts over (sharing resumes with the next
    /// heartbeat of each host).
    public let capacity: Int
    /// A host not heard of for this long is forgotten (checked once a minute), so hosts that went
    /// away without a stop event are not kept: a live host heartbeats every 30 s.
    public let retention: TimeInterval

    public init(capacity: Int = 65_536, retention: TimeInterval = 900) {
        self.capacity = max(1, capacity)
        self.retention = retention
    }

    /// Hosts remembered.
    public var count: Int { state.withLock { $0.known.count } }

    /// `inventory`, equal, with the parts the last one of its host repeats taken from that one;
    /// `at`: when it arrived.
    public func share(_ inventory: HostInventory, at: Date) -> HostInventory {
        state.withLock { s in
            if s.nextSweep.map({ at >= $0 }) ?? true {
                s.nextSweep = at.addingTimeInterval(60)
                let cutoff = at.addingTimeInterval(-retention)
                s.known = s.known.filter { $0.value.seen >= cutoff }
            }
            var shared = inventory
            if let previous = s.known[inventory.hostID]?.inventory {
                shared.hostID = previous.hostID
                shared.components = Self.shared(inventory.components, previous.components, id: \.id)
                shared.providers = Self.shared(inventory.providers, previous.providers, id: \.id)
                if previous.labels == inventory.labels { shared.labels = previous.labels }
                if previous.friendlyName == inventory.friendlyName { shared.friendlyName = previous.friendlyName }
                if previous.version == inventory.version { shared.version = previous.version }
            } else if s.known.count >= capacity {
                s.known.removeAll()
            }
            s.known[shared.hostID] = (shared, at)
            return shared
        }
    }

    /// A sync's event with what it repeats shared: an inventory's parts (`share(_:at:)`), a
    /// ping's host ID, labels and name when the host's last inventory has them equal. Read on
    /// the sync's reader as each arrives, so a fresh copy is freed before the next is decoded.
    public func share(_ event: HostSyncEvent) -> HostSyncEvent {
        switch event {
        case .inventory(let inventory):
            return .inventory(share(inventory, at: Date()))
        case .pinged(var info):
            guard let known = state.withLock({ $0.known[info.id]?.inventory }) else { return event }
            if info.id == known.hostID { info.id = known.hostID }
            if info.labels == known.labels { info.labels = known.labels }
            if info.friendlyName == known.friendlyName { info.friendlyName = known.friendlyName }
            return .pinged(info)
        default:
            return event
        }
    }

    /// `input` with a heartbeat's or inventory's repeated parts shared (`share(_:at:)`); a host's
    /// stop forgets it. Every other input as it is.
    public func share(_ input: LatticeInput) -> LatticeInput {
        switch input {
        case .event(var event, let at):
            switch event.payload {
            case .hostHeartbeat(let inventory):
                event.payload = .hostHeartbeat(share(inventory, at: at))
                return .event(event, at: at)
            case .hostStopped:
                if let id = event.hostID { _ = state.withLock { $0.known.removeValue(forKey: id) } }
                return input
            default:
                return input
            }
        case .inventory(let inventory, let syncID, let at):
            return .inventory(share(inventory, at: at), syncID: syncID, at: at)
        default:
            return input
        }
    }

    /// `new` with each element equal to the one of the same ID in `old` taken from `old` (the
    /// whole list when they are equal).
    static func shared<T: Equatable>(_ new: [T], _ old: [T], id: KeyPath<T, String>) -> [T] {
        if new == old { return old }
        guard !old.isEmpty else { return new }
        var byID: [String: Int] = [:]
        for (i, element) in old.enumerated() where byID[element[keyPath: id]] == nil { byID[element[keyPath: id]] = i }
        return new.map { element in
            guard let i = byID[element[keyPath: id]], old[i] == element else { return element }
            return old[i]
        }
    }
}
