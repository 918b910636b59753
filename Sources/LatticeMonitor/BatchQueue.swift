import Synchronization

/// A bounded hand-over of values from many producers to one consumer, taken in batches: the
/// consumer gets everything queued at once, so a flood costs one wake-up per frame, not one per
/// value. What does not fit while the consumer is away (the UI thread while `$EDITOR` runs) is
/// dropped and counted, never piled up without end.
///
/// With a superseding key, a value whose key is already waiting replaces that one: the older
/// value leaves its place, the newer one joins the end (the order of what is taken stays the
/// order of arrival), and the replaced one is counted. Values without a key are never replaced.
public final class BatchQueue<Element: Sendable>: Sendable {
    private struct State {
        var items: [Element] = []
        var waiter: CheckedContinuation<[Element]?, Never>?
        var closed = false
        var dropped = 0
        var superseded = 0
        /// Where the waiting value of each key is in `items` (superseding queues only).
        var slots: [String: Int] = [:]
        /// Places in `items` whose value was replaced: skipped when taken.
        var vacated: Set<Int> = []

        var waiting: Int { items.count - vacated.count }

        mutating func append(_ values: [Element], capacity: Int, key: (@Sendable (Element) -> String?)?) {
            guard let key else {
                let room = max(0, capacity - items.count)
                if values.count > room { dropped += values.count - room }
                items.append(contentsOf: values.prefix(room))
                return
            }
            for value in values {
                let k = key(value)
                if let k, let replaced = slots[k] {
                    // Takes the place of the one it replaces in the count: no room needed.
                    vacated.insert(replaced)
                    superseded += 1
                } else if waiting >= capacity {
                    dropped += 1
                    continue
                }
                if let k { slots[k] = items.count }
                items.append(value)
            }
            // The replaced values' places are given back once they outnumber the waiting ones.
            if vacated.count > 64 && vacated.count > waiting {
                items = take()
                for i in items.indices { if let k = key(items[i]) { slots[k] = i } }
            }
        }

        /// Everything waiting, in order, leaving the queue empty.
        mutating func take() -> [Element] {
            defer {
                items = []
                slots = [:]
                vacated = []
            }
            guard !vacated.isEmpty else { return items }
            var kept: [Element] = []
            kept.reserveCapacity(waiting)
            for i in items.indices where !vacated.contains(i) { kept.append(items[i]) }
            return kept
        }
    }

    private let state = Mutex(State())
    /// The most values held for the consumer.
    public let capacity: Int
    /// The key of a value that a newer one of the same key replaces while it waits (nil: never).
    private let supersedingKey: (@Sendable (Element) -> String?)?

    public init(capacity: Int = .max, supersedingKey: (@Sendable (Element) -> String?)? = nil) {
        self.capacity = max(1, capacity)
        self.supersedingKey = supersedingKey
    }

    /// Values waiting for the consumer.
    public var count: Int { state.withLock { $0.waiting } }

    /// Values dropped so far because the queue was full.
    public var droppedTotal: Int { state.withLock { $0.dropped } }

    /// Values replaced so far by a newer one of the same key before the consumer took them.
    public var supersededTotal: Int { state.withLock { $0.superseded } }

    /// The oldest value waiting (nil: nothing waits).
    public var oldest: Element? {
        state.withLock { s in s.items.indices.first { !s.vacated.contains($0) }.map { s.items[$0] } }
    }

    public func push(_ values: [Element]) {
        guard !values.isEmpty else { return }
        let capacity = self.capacity, key = supersedingKey
        let wake = state.withLock { s -> (CheckedContinuation<[Element]?, Never>, [Element])? in
            if s.closed { return nil }
            // A consumer waits only on an empty queue: it gets what this push leaves waiting.
            s.append(values, capacity: capacity, key: key)
            guard let w = s.waiter else { return nil }
            s.waiter = nil
            return (w, s.take())
        }
        wake?.0.resume(returning: wake?.1)
    }

    public func push(_ value: Element) { push([value]) }

    /// Everything queued, waiting when nothing is; nil once closed and drained.
    public func next() async -> [Element]? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<[Element]?, Never>) in
                let ready: [Element]?? = state.withLock { s in
                    if !s.items.isEmpty { return .some(s.take()) }
                    if s.closed || Task.isCancelled { return .some(nil) }
                    s.waiter = c
                    return nil
                }
                if let ready { c.resume(returning: ready) }
            }
        } onCancel: {
            let w = state.withLock { s -> CheckedContinuation<[Element]?, Never>? in
                defer { s.waiter = nil }
                return s.waiter
            }
            w?.resume(returning: nil)
        }
    }

    /// Whatever is queued now, without waiting.
    public func drain() -> [Element] {
        state.withLock { $0.take() }
    }

    /// Whatever is queued now, with the number dropped so far (a total).
    public func drainCountingDrops() -> (items: [Element], droppedTotal: Int) {
        let taken = drainCounting()
        return (taken.items, taken.droppedTotal)
    }

    /// Whatever is queued now, with the numbers dropped and superseded so far (totals).
    public func drainCounting() -> (items: [Element], droppedTotal: Int, supersededTotal: Int) {
        state.withLock { s in (s.take(), s.dropped, s.superseded) }
    }

    public func close() {
        let w = state.withLock { s -> CheckedContinuation<[Element]?, Never>? in
            s.closed = true
            defer { s.waiter = nil }
            return s.waiter
        }
        w?.resume(returning: nil)
    }
}
