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
    private let known = Mutex<[String: HostInventory]>([:])
    /// The most hosts remembered; past it the memory starts over (sharing resumes with the next
    /// heartbeat of each host).
    public let capacity: Int

    public init(capacity: Int = 65_536) {
        self.capacity = max(1, capacity)
    }

    /// Hosts remembered.
    public var count: Int { known.withLock { $0.count } }

    /// `inventory`, equal, with the parts the last one of its host repeats taken from that one.
    public func share(_ inventory: HostInventory) -> HostInventory {
        known.withLock { known in
            var shared = inventory
            if let previous = known[inventory.hostID] {
                shared.hostID = previous.hostID
                shared.components = Self.shared(inventory.components, previous.components, id: \.id)
                shared.providers = Self.shared(inventory.providers, previous.providers, id: \.id)
                if previous.labels == inventory.labels { shared.labels = previous.labels }
                if previous.friendlyName == inventory.friendlyName { shared.friendlyName = previous.friendlyName }
                if previous.version == inventory.version { shared.version = previous.version }
            } else if known.count >= capacity {
                known.removeAll()
            }
            known[shared.hostID] = shared
            return shared
        }
    }

    /// `input` with a heartbeat's or inventory's repeated parts shared (`share(_:)`); a host's
    /// stop forgets it. Every other input as it is.
    public func share(_ input: LatticeInput) -> LatticeInput {
        switch input {
        case .event(var event, let at):
            switch event.payload {
            case .hostHeartbeat(let inventory):
                event.payload = .hostHeartbeat(share(inventory))
                return .event(event, at: at)
            case .hostStopped:
                if let id = event.hostID { _ = known.withLock { $0.removeValue(forKey: id) } }
                return input
            default:
                return input
            }
        case .inventory(let inventory, let syncID, let at):
            return .inventory(share(inventory), syncID: syncID, at: at)
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
