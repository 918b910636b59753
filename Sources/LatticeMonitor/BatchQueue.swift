import Synchronization

/// A bounded hand-over of values from many producers to one consumer, taken in batches: the
/// consumer gets everything queued at once, so a flood costs one wake-up per frame, not one per
/// value. What does not fit while the consumer is away (the UI thread while `$EDITOR` runs) is
/// dropped and counted, never piled up without end.
public final class BatchQueue<Element: Sendable>: Sendable {
    private struct State {
        var items: [Element] = []
        var waiter: CheckedContinuation<[Element]?, Never>?
        var closed = false
        var dropped = 0
    }

    private let state = Mutex(State())
    /// The most values held for the consumer.
    public let capacity: Int

    public init(capacity: Int = .max) {
        self.capacity = max(1, capacity)
    }

    /// Values waiting for the consumer.
    public var count: Int { state.withLock { $0.items.count } }

    /// Values dropped so far because the queue was full.
    public var droppedTotal: Int { state.withLock { $0.dropped } }

    /// The oldest value waiting (nil: nothing waits).
    public var oldest: Element? { state.withLock { $0.items.first } }

    public func push(_ values: [Element]) {
        guard !values.isEmpty else { return }
        let capacity = self.capacity
        let wake = state.withLock { s -> (CheckedContinuation<[Element]?, Never>, [Element])? in
            if s.closed { return nil }
            if let w = s.waiter {
                s.waiter = nil
                if values.count > capacity { s.dropped += values.count - capacity }
                return (w, Array(values.prefix(capacity)))
            }
            let room = max(0, capacity - s.items.count)
            if values.count > room { s.dropped += values.count - room }
            s.items.append(contentsOf: values.prefix(room))
            return nil
        }
        wake?.0.resume(returning: wake?.1)
    }

    public func push(_ value: Element) { push([value]) }

    /// Everything queued, waiting when nothing is; nil once closed and drained.
    public func next() async -> [Element]? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<[Element]?, Never>) in
                let ready: [Element]?? = state.withLock { s in
                    if !s.items.isEmpty {
                        defer { s.items = [] }
                        return .some(s.items)
                    }
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
        state.withLock { s in
            defer { s.items = [] }
            return s.items
        }
    }

    /// Whatever is queued now, with the number dropped so far (a total).
    public func drainCountingDrops() -> (items: [Element], droppedTotal: Int) {
        state.withLock { s in
            defer { s.items = [] }
            return (s.items, s.dropped)
        }
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
