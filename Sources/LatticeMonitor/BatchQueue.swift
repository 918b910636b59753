import Synchronization

/// An unbounded hand-over of values from many producers to one consumer, taken in batches: the
/// consumer gets everything queued at once, so a flood costs one wake-up per frame, not one per value.
public final class BatchQueue<Element: Sendable>: Sendable {
    private struct State {
        var items: [Element] = []
        var waiter: CheckedContinuation<[Element]?, Never>?
        var closed = false
    }

    private let state = Mutex(State())

    public init() {}

    public func push(_ values: [Element]) {
        guard !values.isEmpty else { return }
        let wake = state.withLock { s -> (CheckedContinuation<[Element]?, Never>, [Element])? in
            if s.closed { return nil }
            if let w = s.waiter {
                s.waiter = nil
                return (w, values)
            }
            s.items.append(contentsOf: values)
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

    public func close() {
        let w = state.withLock { s -> CheckedContinuation<[Element]?, Never>? in
            s.closed = true
            defer { s.waiter = nil }
            return s.waiter
        }
        w?.resume(returning: nil)
    }
}
