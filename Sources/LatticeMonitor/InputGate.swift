import Foundation
import LatticeState
import Synchronization

/// Where the monitor's live inputs (subscriptions, syncs) go: straight to the consumer's queue,
/// or, while the lattice's history is being replayed, held back, so recorded events come first
/// and live ones after them, none lost (the subscriptions were made before the history was read)
/// and none twice (`open` drops the held events the history already had).
final class InputGate: Sendable {
    private struct State {
        /// Non-nil while closed: what waits.
        var held: [LatticeInput]?
        var droppedWhileHeld = 0
        /// Connection changes pass while closed until the connection first comes up (the
        /// header shows the attempts); from then on they wait with the rest.
        var holdsConnectionChanges = false
    }

    private let state = Mutex(State())
    let queue: BatchQueue<LatticeInput>
    /// The most inputs held back; more are dropped and counted.
    let capacity: Int

    init(queue: BatchQueue<LatticeInput>, capacity: Int) {
        self.queue = queue
        self.capacity = max(1, capacity)
    }

    /// Holds live inputs back from now on.
    func close() {
        state.withLock { if $0.held == nil { $0.held = [] } }
    }

    var isOpen: Bool { state.withLock { $0.held == nil } }

    /// From now on connection changes wait too (call as the connection comes up, before its input).
    func holdConnectionChanges() {
        state.withLock { $0.holdsConnectionChanges = true }
    }

    func push(_ values: [LatticeInput]) {
        guard !values.isEmpty else { return }
        let capacity = self.capacity
        // Under the lock, so nothing pushed after `open` can overtake what it releases.
        state.withLock { s in
            guard s.held != nil else { return queue.push(values) }
            if !s.holdsConnectionChanges, values.allSatisfy({ if case .connection = $0 { return true } else { return false } }) {
                return queue.push(values)
            }
            let room = max(0, capacity - s.held!.count)
            if values.count > room { s.droppedWhileHeld += values.count - room }
            s.held!.append(contentsOf: values.prefix(room))
        }
    }

    func push(_ value: LatticeInput) { push([value]) }

    /// The keys (`LatticeMonitor.eventKey`) of the events held now.
    func heldKeys() -> Set<String> {
        state.withLock { s in
            var keys = Set<String>()
            for case .event(let event, _) in s.held ?? [] { keys.insert(LatticeMonitor.eventKey(event)) }
            return keys
        }
    }

    /// Lets live inputs through again: first `announce(duplicates)`, then what was held, less the
    /// events whose key (`LatticeMonitor.eventKey`) is in `recorded`. Returns the duplicates dropped.
    @discardableResult
    func open(dropping recorded: Set<String>, announce: (Int) -> [LatticeInput]) -> Int {
        state.withLock { s in
            guard let held = s.held else { return 0 }
            var kept: [LatticeInput] = []
            kept.reserveCapacity(held.count)
            var duplicates = 0
            for input in held {
                if case .event(let event, _) = input, recorded.contains(LatticeMonitor.eventKey(event)) {
                    duplicates += 1
                } else {
                    kept.append(input)
                }
            }
            if s.droppedWhileHeld > 0 {
                kept.append(.dropped(subject: "live events held while the history loaded", total: Int64(s.droppedWhileHeld),
                                     at: held.last?.at ?? .distantPast))
            }
            s.held = nil
            queue.push(announce(duplicates) + kept)
            return duplicates
        }
    }
}
