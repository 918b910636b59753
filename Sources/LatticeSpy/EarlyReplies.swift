/// Inbox messages that arrived before the invocation they answer. The invocation and inbox
/// subscriptions are delivered on different threads, so a reply can overtake its invocation;
/// it waits here (with a copy of its bytes) for a short `window`, bounded by `limit`. Inbox
/// traffic that is not wRPC (control requests …) passes through here too and expires.
struct EarlyReplies: Sendable {
    /// A waiting message; its span points into `bytes`.
    struct Waiting: Sendable {
        var inbound: SpyInbound
        var bytes: [UInt8]
    }

    private struct Entry: Sendable {
        var subject: String
        var deadline: ContinuousClock.Instant
    }

    private var bySubject: [String: [Waiting]] = [:]
    private var order: [Entry] = []
    private var head = 0
    private(set) var count = 0
    let limit: Int
    let window: Duration

    init(limit: Int, window: Duration) {
        self.limit = max(1, limit)
        self.window = window
    }

    /// Keeps `message` (inbox subject `subject`, bytes in `source`); returns how many older ones
    /// were dropped to make room.
    mutating func add(_ message: SpyInbound, bytes source: UnsafeRawBufferPointer, subject: String) -> Int {
        var dropped = 0
        while count >= limit, head < order.count {
            dropped += removeHead()
        }
        var own = message
        let copy = Array(UnsafeRawBufferPointer(rebasing: source[message.span.all]))
        own.span.offset = 0
        bySubject[subject, default: []].append(Waiting(inbound: own, bytes: copy))
        count += 1
        order.append(Entry(subject: subject, deadline: message.receivedAt + window))
        if order.count - head > 4 * limit {
            // Entries of taken messages linger until their deadline; drop them.
            order = order[head...].filter { bySubject[$0.subject] != nil }
            head = 0
        }
        return dropped
    }

    /// Takes the messages waiting on exactly `subject`.
    mutating func take(_ subject: String) -> [Waiting] {
        guard count > 0, let found = bySubject.removeValue(forKey: subject) else { return [] }
        count -= found.count
        return found
    }

    /// Drops what waited longer than `window`; returns how many.
    mutating func expire(now: ContinuousClock.Instant) -> Int {
        var dropped = 0
        while head < order.count, order[head].deadline <= now {
            dropped += removeHead()
        }
        if head > 0 && (head == order.count || head > 1024) {
            order.removeFirst(head)
            head = 0
        }
        return dropped
    }

    /// Removes the oldest entry's messages (if still waiting).
    private mutating func removeHead() -> Int {
        let e = order[head]
        head += 1
        guard var list = bySubject[e.subject], !list.isEmpty else { return 0 }
        list.removeFirst()
        if list.isEmpty { bySubject.removeValue(forKey: e.subject) } else { bySubject[e.subject] = list }
        count -= 1
        return 1
    }
}
