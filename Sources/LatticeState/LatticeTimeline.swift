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
/// Rebuilding is bounded: a snapshot of the fold is kept every `snapshotSpacing` inputs, so a
/// jump folds at most that many inputs onto a copy of the snapshot before it, once the inputs
/// before it have been folded (recording only keeps an input; folding happens in `catchUp`, a
/// little at a time, or on a jump). Clock ticks are not kept (the rebuilt state gets one tick,
/// at the moment asked for).
///
/// Memory is bounded by `limit` inputs and by `byteBudget` (estimated bytes, see `TimelineCost`),
/// whatever the rate of inputs: half of it for the inputs, half for the states (the base, the
/// snapshots and the tail). Beyond the inputs' half the oldest inputs are folded into the base
/// and forgotten (the timeline then starts later). When the snapshots would not fit in theirs,
/// every other one is dropped and the spacing doubles (a jump then folds more). When not even
/// four states fit (a very large lattice: each state is a copy of the whole model that differs
/// from the others), the timeline stops recording and keeps nothing (`suspension` says why):
/// time travel is off rather than the memory unbounded. Heartbeats that repeat a host's known
/// inventory share its storage.
public struct LatticeTimeline: Sendable {
    public let configuration: LatticeStateConfiguration
    /// The least spacing of snapshots (in inputs); `snapshotSpacing` is the current one.
    public let snapshotInterval: Int
    public let limit: Int
    /// Estimated bytes the timeline may hold (inputs and states).
    public let byteBudget: Int
    /// The fewest states (base, snapshots, tail) worth keeping; fewer fit: time travel is off.
    public static let minimumStates = 4

    /// Why the timeline records nothing: the lattice's model is too large for the budget.
    public struct Suspension: Sendable, Equatable {
        /// Estimated bytes of one state when it was suspended.
        public var stateBytes: Int
        public var byteBudget: Int
    }
    public private(set) var suspension: Suspension?
    /// Inputs between snapshots now (`snapshotInterval`, doubled each time the snapshots are thinned).
    public private(set) var snapshotSpacing: Int
    /// Estimated bytes of the kept inputs, and of one state (the tail's, when last measured).
    public private(set) var inputBytes = 0
    public private(set) var stateBytes = 0

    /// The inputs, sorted by `moments` (stable: equal moments keep their arrival order).
    private var inputs: [LatticeInput] = []
    private var moments: [Date] = []
    /// Each input's estimated bytes (`TimelineCost`), as counted when it was kept.
    private var costs: [Int32] = []
    /// `snapshots[k]` is `base` with `inputs[0 ..< k * snapshotSpacing]` folded in; only the
    /// first `snapshots.count` are valid (an insertion drops those after it).
    private var snapshots: [LatticeState]
    /// The fold of every input (`snapshots.last` plus the inputs after it).
    private var tail: LatticeState
    private var tailCount = 0
    /// Inputs forgotten because of `limit`, folded into `snapshots[0]`.
    public private(set) var forgotten = 0
    private var knownInventories: [String: HostInventory] = [:]

    public init(configuration: LatticeStateConfiguration = LatticeStateConfiguration(),
                snapshotInterval: Int = 2_000, limit: Int = 200_000, byteBudget: Int = 128 << 20) {
        self.configuration = configuration
        self.snapshotInterval = max(1, snapshotInterval)
        snapshotSpacing = self.snapshotInterval
        self.limit = max(self.snapshotInterval, limit)
        self.byteBudget = max(0, byteBudget)
        let empty = LatticeState(configuration: configuration)
        snapshots = [empty]
        tail = empty
    }

    /// Inputs kept.
    public var count: Int { inputs.count }
    /// Snapshots kept (the base included).
    public var snapshotCount: Int { snapshots.count }
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

    /// Estimated bytes of the states kept (base, snapshots, tail).
    public var statesBytes: Int { (snapshots.count + 1) * stateBytes }

    /// Keeps an input (ticks are ignored; nothing while suspended).
    public mutating func record(_ input: LatticeInput) {
        guard suspension == nil, let moment = Self.moment(of: input) else { return }
        let (sharing, isShared) = shared(input)
        let input = restamped(sharing, at: moment)
        let cost = TimelineCost.bytes(of: input, sharedInventory: isShared)
        inputBytes += cost
        if let lastMoment = moments.last, moment < lastMoment {
            let index = insertionIndex(for: moment)
            inputs.insert(input, at: index)
            moments.insert(moment, at: index)
            costs.insert(Int32(clamping: cost), at: index)
            invalidate(from: index)
        } else {
            inputs.append(input)
            moments.append(moment)
            costs.append(Int32(clamping: cost))
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
            let k = upTo / snapshotSpacing
            state = snapshots[k]
            from = k * snapshotSpacing
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
        let valid = index / snapshotSpacing + 1          // snapshots[k] covers inputs < k·spacing
        if snapshots.count > valid { snapshots.removeSubrange(valid...) }
        if tailCount > index {
            tail = snapshots[snapshots.count - 1]
            tailCount = (snapshots.count - 1) * snapshotSpacing
        }
    }

    /// Folds up to `maxInputs` of what the tail has not seen yet, then measures the tail (recording only keeps inputs;
    /// the app folds them a little at a time when idle, and a jump folds what is still missing).
    public mutating func catchUp(maxInputs: Int) {
        let before = tailCount
        catchUp(to: min(inputs.count, tailCount + max(0, maxInputs)))
        // Measured at each snapshot, and after each step of folding.
        if suspension == nil && tailCount != before { fitStates() }
    }

    /// Inputs kept but not folded yet.
    public var unfolded: Int { inputs.count - tailCount }

    /// Folds the tail up to `end`, keeping a snapshot at every `snapshotSpacing` inputs, within
    /// the states' half of the budget (in runs up to the next snapshot:
    /// `LatticeState.apply(contentsOf:)` applies runs of probe results at once).
    private mutating func catchUp(to end: Int) {
        while suspension == nil && tailCount < end {
            let next = min(end, (tailCount / snapshotSpacing + 1) * snapshotSpacing)
            tail.apply(contentsOf: inputs[tailCount..<next])
            tailCount = next
            if tailCount % snapshotSpacing == 0 && tailCount / snapshotSpacing == snapshots.count {
                snapshots.append(tail)
                fitStates()
            }
        }
    }

    /// Measures a state (the tail) and keeps the states within their half of the budget:
    /// thins the snapshots, or suspends when not even `minimumStates` fit.
    private mutating func fitStates() {
        stateBytes = TimelineCost.bytes(of: tail)
        let fitting = byteBudget / 2 / max(1, stateBytes)
        if fitting < Self.minimumStates {
            suspend()
            return
        }
        // snapshots + the tail within `fitting`: keep every other snapshot, spacing doubled.
        while snapshots.count + 1 > fitting && snapshots.count > 1 {
            snapshots = stride(from: 0, to: snapshots.count, by: 2).map { snapshots[$0] }
            snapshotSpacing *= 2
        }
    }

    /// Keeps nothing from now on: the lattice is too large for the budget.
    private mutating func suspend() {
        suspension = Suspension(stateBytes: stateBytes, byteBudget: byteBudget)
        forgotten += inputs.count
        inputs = []
        moments = []
        costs = []
        inputBytes = 0
        let empty = LatticeState(configuration: configuration)
        snapshots = [empty]
        tail = empty
        tailCount = 0
        knownInventories = [:]
    }

    /// Beyond `limit` inputs, or the inputs' half of the budget, forgets the oldest spacing of
    /// inputs: the next snapshot becomes the base.
    private mutating func forgetBeyondLimit() {
        while suspension == nil && inputs.count > snapshotSpacing
                && (inputs.count > limit + snapshotSpacing || inputBytes > byteBudget / 2) {
            catchUp(to: snapshotSpacing)
            guard suspension == nil, snapshots.count > 1 else { break }
            inputBytes -= costs[..<snapshotSpacing].reduce(0) { $0 + Int($1) }
            inputs.removeFirst(snapshotSpacing)
            moments.removeFirst(snapshotSpacing)
            costs.removeFirst(snapshotSpacing)
            snapshots.removeFirst()
            tailCount -= snapshotSpacing
            forgotten += snapshotSpacing
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
    /// storage), so hours of heartbeats cost little more than their times; true when both its
    /// lists are shared (their bytes are counted once, with the first heartbeat that had them).
    private mutating func shared(_ input: LatticeInput) -> (LatticeInput, Bool) {
        let recorded: Bool
        var event: LatticeEvent
        let at: Date
        switch input {
        case .event(let e, let a): (recorded, event, at) = (false, e, a)
        case .recorded(let e, let a): (recorded, event, at) = (true, e, a)
        default: return (input, false)
        }
        guard case .hostHeartbeat(var inventory) = event.payload else { return (input, false) }
        var isShared = false
        if let known = knownInventories[inventory.hostID] {
            let sameComponents = inventory.components == known.components, sameProviders = inventory.providers == known.providers
            if sameComponents { inventory.components = known.components }
            if sameProviders { inventory.providers = known.providers }
            if inventory.labels == known.labels { inventory.labels = known.labels }
            if inventory.friendlyName == known.friendlyName { inventory.friendlyName = known.friendlyName }
            if inventory.version == known.version { inventory.version = known.version }
            if inventory.hostID == known.hostID { inventory.hostID = known.hostID }
            if event.source == known.hostID { event.source = known.hostID }
            isShared = sameComponents && sameProviders
        }
        knownInventories[inventory.hostID] = inventory
        event.payload = .hostHeartbeat(inventory)
        return (recorded ? .recorded(event, at: at) : .event(event, at: at), isShared)
    }
}
