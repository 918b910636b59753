import Synchronization

/// The bounded hand-over between a cnats delivery thread and one Swift consumer. The producer
/// appends under a lock (never creating a task); the consumer takes everything buffered at once.
/// When full, new messages are dropped and counted.
final class MessageBatchBuffer: Sendable {
    private struct State {
        var items: [NATSMessage] = []
        var waiter: CheckedContinuation<[NATSMessage]?, Never>?
        var closed = false
        /// Closed by `discardAll`: what is queued or still arrives is counted, not kept.
        var discarding = false
        var dropped: Int64 = 0
        var delivered: Int64 = 0
        var discarded: Int64 = 0
    }

    private let state = Mutex(State())
    let capacity: Int
    /// When set, each message goes straight to it on the cnats thread (nothing is buffered, no
    /// task has to run for it), and nil once the buffer closes.
    private let direct: (@Sendable (NATSMessage?) -> Void)?

    init(capacity: Int, direct: (@Sendable (NATSMessage?) -> Void)? = nil) {
        self.capacity = max(1, capacity)
        self.direct = direct
    }

    /// Called on the cnats thread.
    func push(_ message: NATSMessage) {
        if let direct {
            let open = state.withLock { s in
                if !s.closed { s.delivered += 1 }
                return !s.closed
            }
            if open { direct(message) }
            return
        }
        let wake: CheckedContinuation<[NATSMessage]?, Never>? = state.withLock { s in
            if s.closed {
                if s.discarding { s.discarded += 1 }
                return nil
            }
            if let w = s.waiter {
                s.waiter = nil
                s.delivered += 1
                return w
            }
            if s.items.count >= capacity {
                s.dropped += 1
                return nil
            }
            s.items.append(message)
            return nil
        }
        wake?.resume(returning: [message])
    }

    /// Everything buffered, waiting if nothing is; nil once closed and drained.
    func next() async -> [NATSMessage]? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<[NATSMessage]?, Never>) in
                let ready: [NATSMessage]?? = state.withLock { s in
                    if !s.items.isEmpty {
                        let batch = s.items
                        s.items = []
                        s.items.reserveCapacity(min(batch.count, 4096))
                        s.delivered += Int64(batch.count)
                        return .some(batch)
                    }
                    if s.closed || Task.isCancelled { return .some(nil) }
                    s.waiter = c
                    return nil
                }
                if let ready { c.resume(returning: ready) }
            }
        } onCancel: {
            let w = state.withLock { s -> CheckedContinuation<[NATSMessage]?, Never>? in
                defer { s.waiter = nil }
                return s.waiter
            }
            w?.resume(returning: nil)
        }
    }

    /// Takes what is buffered without waiting.
    func drain() -> [NATSMessage] {
        state.withLock { s in
            let batch = s.items
            s.items = []
            s.delivered += Int64(batch.count)
            return batch
        }
    }

    func close() {
        let (w, wasOpen) = state.withLock { s -> (CheckedContinuation<[NATSMessage]?, Never>?, Bool) in
            let wasOpen = !s.closed
            s.closed = true
            defer { s.waiter = nil }
            return (s.items.isEmpty ? s.waiter : nil, wasOpen)
        }
        w?.resume(returning: nil)
        if wasOpen { direct?(nil) }
    }

    /// Closes the buffer for a consumer that stops at once: what is queued now and what the cnats
    /// thread still hands over (a draining subscription) is counted in `discarded` and released.
    func discardAll() {
        let (w, items) = state.withLock { s -> (CheckedContinuation<[NATSMessage]?, Never>?, [NATSMessage]) in
            s.closed = true
            s.discarding = true
            s.discarded += Int64(s.items.count)
            defer {
                s.items = []
                s.waiter = nil
            }
            return (s.waiter, s.items)
        }
        _ = items   // released here, outside the lock
        w?.resume(returning: nil)
    }

    /// The consumer let go of `count` messages it had taken, because it stops at once: they move
    /// from `delivered` to `discarded`.
    func letGo(_ count: Int) {
        state.withLock { s in
            s.delivered -= Int64(count)
            s.discarded += Int64(count)
        }
    }

    var isDiscarding: Bool { state.withLock { $0.discarding } }
    var dropped: Int64 { state.withLock { $0.dropped } }
    var discarded: Int64 { state.withLock { $0.discarded } }
    var delivered: Int64 { state.withLock { $0.delivered } }
    var pending: Int { state.withLock { $0.items.count } }
    var isClosed: Bool { state.withLock { $0.closed } }
}
