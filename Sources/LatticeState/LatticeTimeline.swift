import Foundation
import LatticeProtocol

/// Every input the model was given, in the order of the moments they describe, so that the
/// lattice as it was at any past moment can be rebuilt: the model is a pure fold, so the state at
/// `T` is the fold of the inputs whose moment is at or before `T`, then a tick at `T`.
///
/// A moment is the CloudEvent's own `time` for events (history replayed at start carries the
/// past's times), else the input's arrival time. Inputs arrive mostly in order; one that belongs
/// earlier (history loaded after the first live events) is inserted where it belongs.
///
/// Rebuilding is bounded: a snapshot of the fold is kept every `snapshotInterval` inputs, so a
/// jump folds at most that many inputs onto a copy of the snapshot before it, once the inputs
/// before it have been folded (recording only keeps an input; folding happens in `catchUp`, a
/// little at a time, or on a jump). Clock ticks are not kept (the rebuilt state gets one tick,
/// at the moment asked for). Memory is bounded by `limit`:
/// beyond it the oldest inputs are folded into the base state and forgotten (the timeline then
/// starts later). Heartbeats that repeat a host's known inventory share its storage.
public struct LatticeTimeline: Sendable {
    public let configuration: LatticeStateConfiguration
    public let snapshotInterval: Int
    public let limit: Int

    /// The inputs, sorted by `moments` (stable: equal moments keep their arrival order).
    private var inputs: [LatticeInput] = []
    private var moments: [Date] = []
    /// `snapshots[k]` is `base` with `inputs[0 ..< k * snapshotInterval]` folded in; only the
    /// first `snapshots.count` are valid (an insertion drops those after it).
    private var snapshots: [LatticeState]
    /// The fold of every input (`snapshots.last` plus the inputs after it).
    private var tail: LatticeState
    private var tailCount = 0
    /// Inputs forgotten because of `limit`, folded into `snapshots[0]`.
    public private(set) var forgotten = 0
    private var knownInventories: [String: HostInventory] = [:]

    public init(configuration: LatticeStateConfiguration = LatticeStateConfiguration(),
                snapshotInterval: Int = 2_000, limit: Int = 200_000) {
        self.configuration = configuration
        self.snapshotInterval = max(1, snapshotInterval)
        self.limit = max(self.snapshotInterval, limit)
        let empty = LatticeState(configuration: configuration)
        snapshots = [empty]
        tail = empty
    }

    /// Inputs kept.
    public var count: Int { inputs.count }
    /// The first and the last moment kept (nil when empty).
    public var first: Date? { moments.first }
    public var last: Date? { moments.last }

    /// The moment an input describes.
    public static func moment(of input: LatticeInput) -> Date? {
        switch input {
        case .event(let event, let at), .recorded(let event, let at): return event.date ?? at
        case .tick: return nil
        default: return input.at
        }
    }

    /// Keeps an input (ticks are ignored).
    public mutating func record(_ input: LatticeInput) {
        guard let moment = Self.moment(of: input) else { return }
        let input = restamped(shared(input), at: moment)
        if let lastMoment = moments.last, moment < lastMoment {
            let index = insertionIndex(for: moment)
            inputs.insert(input, at: index)
            moments.insert(moment, at: index)
            invalidate(from: index)
        } else {
            inputs.append(input)
            moments.append(moment)
        }
        forgetBeyondLimit()
    }

    public mutating func record<S: Sequence>(contentsOf inputs: S) where S.Element == LatticeInput {
        for input in inputs { record(input) }
    }

    /// The lattice as it was at `moment`: every kept input up to it, then a tick at it. Before
    /// the first kept input it is the base (empty unless inputs were forgotten).
    public mutating func state(at moment: Date) -> LatticeState {
        let upTo = insertionIndex(for: moment)
        catchUp(to: upTo)
        var state: LatticeState
        let from: Int
        if upTo >= tailCount {
            state = tail
            from = tailCount
        } else {
            let k = upTo / snapshotInterval
            state = snapshots[k]
            from = k * snapshotInterval
        }
        if from < upTo { state.apply(contentsOf: inputs[from..<upTo]) }
        state.apply(.tick(moment))
        return state
    }

    /// The moment of the nearest kept input strictly before / after `moment` that `isStep`
    /// accepts (by default: every event but host heartbeats, which say nothing changed).
    public func moment(before moment: Date, where isStep: (LatticeInput) -> Bool = Self.isChange) -> Date? {
        var index = lowerIndex(for: moment) - 1
        while index >= 0 {
            if isStep(inputs[index]) { return moments[index] }
            index -= 1
        }
        return nil
    }

    public func moment(after moment: Date, where isStep: (LatticeInput) -> Bool = Self.isChange) -> Date? {
        var index = insertionIndex(for: moment)
        while index < inputs.count {
            if isStep(inputs[index]) { return moments[index] }
            index += 1
        }
        return nil
    }

    /// What `[` and `]` step through: lattice events other than heartbeats.
    public static func isChange(_ input: LatticeInput) -> Bool {
        switch input {
        case .event(let event, _), .recorded(let event, _):
            if case .hostHeartbeat = event.payload { return false }
            return true
        default:
            return false
        }
    }

    // MARK: - Internals

    /// The first index whose moment is after `moment` (= how many inputs are at or before it).
    private func insertionIndex(for moment: Date) -> Int {
        var low = 0, high = moments.count
        while low < high {
            let mid = (low + high) / 2
            if moments[mid] <= moment { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The first index whose moment is at or after `moment`.
    private func lowerIndex(for moment: Date) -> Int {
        var low = 0, high = moments.count
        while low < high {
            let mid = (low + high) / 2
            if moments[mid] < moment { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Drops the snapshots and the tail that include inputs from `index` on.
    private mutating func invalidate(from index: Int) {
        let valid = index / snapshotInterval + 1          // snapshots[k] covers inputs < k·interval
        if snapshots.count > valid { snapshots.removeSubrange(valid...) }
        if tailCount > index {
            tail = snapshots[snapshots.count - 1]
            tailCount = (snapshots.count - 1) * snapshotInterval
        }
    }

    /// Folds up to `maxInputs` of what the tail has not seen yet (recording only keeps inputs;
    /// the app folds them a little at a time when idle, and a jump folds what is still missing).
    public mutating func catchUp(maxInputs: Int) {
        catchUp(to: min(inputs.count, tailCount + max(0, maxInputs)))
    }

    /// Inputs kept but not folded yet.
    public var unfolded: Int { inputs.count - tailCount }

    /// Folds the tail up to `end`, keeping a snapshot at every interval (in runs up to the next
    /// snapshot: `LatticeState.apply(contentsOf:)` applies runs of probe results at once).
    private mutating func catchUp(to end: Int) {
        while tailCount < end {
            let next = min(end, (tailCount / snapshotInterval + 1) * snapshotInterval)
            tail.apply(contentsOf: inputs[tailCount..<next])
            tailCount = next
            if tailCount % snapshotInterval == 0 && tailCount / snapshotInterval == snapshots.count {
                snapshots.append(tail)
            }
        }
    }

    /// Beyond `limit`, forgets the oldest interval of inputs: the next snapshot becomes the base.
    private mutating func forgetBeyondLimit() {
        while inputs.count > limit + snapshotInterval {
            catchUp(to: snapshotInterval)
            guard snapshots.count > 1 else { break }
            inputs.removeFirst(snapshotInterval)
            moments.removeFirst(snapshotInterval)
            snapshots.removeFirst()
            tailCount -= snapshotInterval
            forgotten += snapshotInterval
        }
    }

    /// Events are folded at their own time, as they were then (not when they arrived here).
    private func restamped(_ input: LatticeInput, at moment: Date) -> LatticeInput {
        switch input {
        case .event(let event, let at) where at != moment: return .event(event, at: moment)
        case .recorded(let event, let at) where at != moment: return .recorded(event, at: moment)
        default: return input
        }
    }

    /// A heartbeat listing what the host's last one listed keeps that one's arrays (shared
    /// storage), so hours of heartbeats cost little more than their times.
    private mutating func shared(_ input: LatticeInput) -> LatticeInput {
        let recorded: Bool
        var event: LatticeEvent
        let at: Date
        switch input {
        case .event(let e, let a): (recorded, event, at) = (false, e, a)
        case .recorded(let e, let a): (recorded, event, at) = (true, e, a)
        default: return input
        }
        guard case .hostHeartbeat(var inventory) = event.payload else { return input }
        if let known = knownInventories[inventory.hostID] {
            if inventory.components == known.components { inventory.components = known.components }
            if inventory.providers == known.providers { inventory.providers = known.providers }
            if inventory.labels == known.labels { inventory.labels = known.labels }
            if inventory.friendlyName == known.friendlyName { inventory.friendlyName = known.friendlyName }
            if inventory.version == known.version { inventory.version = known.version }
        }
        knownInventories[inventory.hostID] = inventory
        event.payload = .hostHeartbeat(inventory)
        return recorded ? .recorded(event, at: at) : .event(event, at: at)
    }
}
