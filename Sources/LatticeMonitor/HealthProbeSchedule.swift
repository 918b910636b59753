import Foundation

/// When to probe which provider: each one as soon as it is seen, then every `interval` after
/// its last probe; at most `budget(for:)` probes a call (the loop calls once a second), so a
/// thousand providers are spread over half an interval instead of probed in one burst. Pure:
/// the caller passes the clock and the current targets.
public struct HealthProbeSchedule: Sendable, Equatable {
    public let interval: TimeInterval
    /// Probes per call at least, however few providers there are.
    public let minimumBudget: Int
    private var nextDue: [String: Date] = [:]

    public init(interval: TimeInterval, minimumBudget: Int = 20) {
        self.interval = max(1, interval)
        self.minimumBudget = max(1, minimumBudget)
    }

    /// Probes per call for `count` providers: all of them within half an interval.
    public func budget(for count: Int) -> Int {
        max(minimumBudget, Int((Double(count) / (interval / 2)).rounded(.up)))
    }

    /// The providers to probe now (the longest-waiting first), marking them probed. Providers
    /// no longer among `targets` are forgotten (a restart is probed again at once).
    public mutating func due(_ targets: [String], now: Date) -> [String] { due(Set(targets), now: now) }

    /// `due(_:now:)` of a set of targets (a `Set`, a dictionary's keys: any collection whose
    /// `contains` is a lookup).
    public mutating func due<Targets: Collection<String>>(_ targets: Targets, now: Date) -> [String] {
        if nextDue.count > targets.count || nextDue.keys.contains(where: { !targets.contains($0) }) {
            nextDue = nextDue.filter { targets.contains($0.key) }
        }
        var waiting: [(Date, String)] = []
        for id in targets {
            let due = nextDue[id] ?? .distantPast
            if due <= now { waiting.append((due, id)) }
        }
        guard !waiting.isEmpty else { return [] }
        let picked = Self.earliest(budget(for: targets.count), of: waiting).map(\.1)
        for id in picked { nextDue[id] = now.addingTimeInterval(interval) }
        return picked
    }

    /// The `count` first of `items` by due time, then ID, in that order: the first `count` of
    /// `items` sorted, without sorting all of them (20,000 providers wait at once after a start,
    /// and sorting them all each second cost the UI loop ~13 ms a second): a max-heap of the
    /// `count` first seen so far, then those sorted.
    static func earliest(_ count: Int, of items: [(Date, String)]) -> [(Date, String)] {
        let before = { (a: (Date, String), b: (Date, String)) -> Bool in a.0 != b.0 ? a.0 < b.0 : a.1 < b.1 }
        guard count > 0 else { return [] }
        guard items.count > count else { return items.sorted(by: before) }
        // heap[0] is the last of the `count` first so far (a max-heap by `before`).
        var heap: [(Date, String)] = []
        heap.reserveCapacity(count)
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let (l, r) = (2 * i + 1, 2 * i + 2)
                var largest = i
                if l < heap.count, before(heap[largest], heap[l]) { largest = l }
                if r < heap.count, before(heap[largest], heap[r]) { largest = r }
                if largest == i { return }
                heap.swapAt(i, largest)
                i = largest
            }
        }
        for item in items {
            if heap.count < count {
                heap.append(item)
                var i = heap.count - 1
                while i > 0, before(heap[(i - 1) / 2], heap[i]) {
                    heap.swapAt(i, (i - 1) / 2)
                    i = (i - 1) / 2
                }
            } else if before(item, heap[0]) {
                heap[0] = item
                siftDown(0)
            }
        }
        return heap.sorted(by: before)
    }
}
