/// An invocation waiting for its replies.
struct PendingCall: Sendable {
    var invocation: SpyMessage
    var receivedAt: ContinuousClock.Instant
    var handshakeNanos: Int64 = -1
    /// The server's inbox from the handshake (where the rest of the parameters go).
    var serverInbox: String?
}

/// Invocations waiting for replies, by reply subject, bounded in count and expired in arrival
/// order (all share one timeout, so arrival order is deadline order).
struct PendingCalls: Sendable {
    private struct Entry: Sendable {
        var reply: String
        var sequence: UInt64
        var deadline: ContinuousClock.Instant
    }

    private var byReply: [String: PendingCall] = [:]
    private var order: [Entry] = []
    private var head = 0
    let limit: Int
    let timeout: Duration

    init(limit: Int, timeout: Duration) {
        self.limit = max(1, limit)
        self.timeout = timeout
    }

    var count: Int { byReply.count }

    subscript(reply: String) -> PendingCall? {
        get { byReply[reply] }
        set { byReply[reply] = newValue }
    }

    /// Adds a call; returns the calls given up to make room (the oldest, when full; or one with
    /// the same reply subject).
    mutating func insert(reply: String, call: PendingCall) -> [PendingCall] {
        var evicted: [PendingCall] = []
        if let replaced = byReply.removeValue(forKey: reply) { evicted.append(replaced) }
        while byReply.count >= limit, let oldest = popOldestLive() { evicted.append(oldest) }
        byReply[reply] = call
        order.append(Entry(reply: reply, sequence: call.invocation.sequence, deadline: call.receivedAt + timeout))
        compactIfNeeded()
        return evicted
    }

    mutating func remove(reply: String) -> PendingCall? {
        byReply.removeValue(forKey: reply)
    }

    /// Removes and returns the calls whose deadline has passed.
    mutating func expire(now: ContinuousClock.Instant) -> [PendingCall] {
        var expired: [PendingCall] = []
        while head < order.count, order[head].deadline <= now {
            let e = order[head]
            head += 1
            if let call = byReply[e.reply], call.invocation.sequence == e.sequence {
                byReply.removeValue(forKey: e.reply)
                expired.append(call)
            }
        }
        compactIfNeeded()
        return expired
    }

    private mutating func popOldestLive() -> PendingCall? {
        while head < order.count {
            let e = order[head]
            head += 1
            if let call = byReply[e.reply], call.invocation.sequence == e.sequence {
                byReply.removeValue(forKey: e.reply)
                return call
            }
        }
        return nil
    }

    /// Completed calls leave their entry in `order`; drop those (and the consumed head) once they
    /// outnumber the live ones, so `order` stays within about twice `limit`.
    private mutating func compactIfNeeded() {
        let queued = order.count - head
        if head > 0 && head == order.count {
            order.removeAll(keepingCapacity: true)
            head = 0
        } else if queued > 2 * limit + 1024 {
            order = order[head...].filter { byReply[$0.reply]?.invocation.sequence == $0.sequence }
            head = 0
        } else if head > 4096 && head > order.count / 2 {
            order.removeFirst(head)
            head = 0
        }
    }
}
