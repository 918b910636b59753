import Foundation

/// When to probe which provider: each one as soon as it is seen, then every `interval` after
/// its last probe; at most `budget(for:)` probes a call (the loop calls once a second), so a
/// thousand providers are spread over half an interval instead of probed in one burst. Pure:
/// the caller passes the clock and the current targets.
public struct HealthProbeSchedule: Sendable, Equatable {
    public let interval: TimeInterval
    /// Probes per call at least, however few providers there are.
    public let minimumBudget: Int
    /// Each target's next probe (`distantPast`: at once).
    private var nextDue: [String: Date] = [:]
    /// Every target's next probe, earliest first (then by ID), as a binary min-heap; entries a
    /// later probe or a target's leaving replaced stay until they come up, and are skipped then.
    private var queue: [(due: Date, id: String)] = []
    /// The revision of the targets `nextDue` was last brought to (`due(_:revision:now:)`).
    private var targetsRevision: UInt64?

    public init(interval: TimeInterval, minimumBudget: Int = 20) {
        self.interval = max(1, interval)
        self.minimumBudget = max(1, minimumBudget)
    }

    /// Probes per call for `count` providers: all of them within half an interval.
    public func budget(for count: Int) -> Int {
        max(minimumBudget, Int((Double(count) / (interval / 2)).rounded(.up)))
    }

    /// The providers to probe now (the longest-waiting first, then by ID), marking them probed.
    /// Providers no longer among `targets` are forgotten (a restart is probed again at once).
    public mutating func due(_ targets: [String], now: Date) -> [String] { due(Set(targets), now: now) }

    /// `due(_:now:)` of a set of targets (a `Set`, a dictionary's keys: any collection whose
    /// `contains` is a lookup). With a `revision` of the targets (one that changes whenever
    /// they do), targets of the revision seen last are not compared again: the due ones come
    /// off the queue (at 20,000 providers, comparing them each second cost the UI loop ~12 ms
    /// a second, and sorting the waiting ones as much again).
    public mutating func due<Targets: Collection<String>>(_ targets: Targets, revision: UInt64? = nil, now: Date) -> [String] {
        if revision == nil || revision != targetsRevision {
            if nextDue.count > targets.count || nextDue.keys.contains(where: { !targets.contains($0) }) {
                nextDue = nextDue.filter { targets.contains($0.key) }
            }
            for id in targets where nextDue[id] == nil {
                nextDue[id] = .distantPast
                push((.distantPast, id))
            }
            targetsRevision = revision
            if queue.count > 2 * nextDue.count + 64 {
                // Mostly replaced entries: the queue anew from the targets.
                queue = []
                for (id, due) in nextDue { push((due, id)) }
            }
        }
        let budget = budget(for: nextDue.count), next = now.addingTimeInterval(interval)
        var picked: [String] = []
        while picked.count < budget, let first = queue.first, first.due <= now {
            popFirst()
            guard nextDue[first.id] == first.due else { continue }
            picked.append(first.id)
            nextDue[first.id] = next
            push((next, first.id))
        }
        return picked
    }

    private static func before(_ a: (due: Date, id: String), _ b: (due: Date, id: String)) -> Bool {
        a.due != b.due ? a.due < b.due : a.id < b.id
    }

    private mutating func push(_ entry: (due: Date, id: String)) {
        queue.append(entry)
        var i = queue.count - 1
        while i > 0, Self.before(queue[i], queue[(i - 1) / 2]) {
            queue.swapAt(i, (i - 1) / 2)
            i = (i - 1) / 2
        }
    }

    private mutating func popFirst() {
        queue.swapAt(0, queue.count - 1)
        queue.removeLast()
        var i = 0
        while true {
            let (l, r) = (2 * i + 1, 2 * i + 2)
            var first = i
            if l < queue.count, Self.before(queue[l], queue[first]) { first = l }
            if r < queue.count, Self.before(queue[r], queue[first]) { first = r }
            if first == i { return }
            queue.swapAt(i, first)
            i = first
        }
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.interval == b.interval && a.minimumBudget == b.minimumBudget && a.nextDue == b.nextDue
    }
}
