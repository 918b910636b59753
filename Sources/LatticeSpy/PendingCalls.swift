/// An invocation waiting for its replies.
struct PendingCall: Sendable {
    var invocation: SpyMessage
    var receivedAt: ContinuousClock.Instant
    var handshakeNanos: Int64 = -1
    /// The server's inbox from the handshake (where the rest of the parameters go).
    var serverInbox: String?
}

/// Invocations waiting for replies, by reply subject, bounded in count and expired in arrival
/// order (all share one timeout, so arrival order is deadline order). The calls live in a slab
/// of reusable slots; the dictionary and the arrival queue hold only slot numbers, so the hot
/// path moves no large values around.
struct PendingCalls: Sendable {
    private struct Slot: Sendable {
        var call: PendingCall?
        var reply: ReplyKey?
        /// The call's invocation sequence (0 when free), checked without touching `call`.
        var sequence: UInt64 = 0
    }

    /// A reply subject with its hash computed once: the dictionary rehashes keys when it deletes.
    struct ReplyKey: Hashable, Sendable {
        let text: String
        let hash: Int

        init(_ text: String) {
            self.text = text
            hash = text.hashValue
        }

        static func == (a: ReplyKey, b: ReplyKey) -> Bool { a.hash == b.hash && a.text == b.text }
        func hash(into hasher: inout Hasher) { hasher.combine(hash) }
    }

    private struct Entry: Sendable {
        var slot: Int32
        var sequence: UInt64
        var deadline: ContinuousClock.Instant
    }

    private var index: [ReplyKey: Int32] = [:]
    private var slots: [Slot] = []
    private var freeSlots: [Int32] = []
    private var order: [Entry] = []
    private var head = 0
    let limit: Int
    let timeout: Duration

    init(limit: Int, timeout: Duration) {
        self.limit = max(1, limit)
        self.timeout = timeout
        index.reserveCapacity(min(self.limit, 1 << 16) * 2)
    }

    var count: Int { index.count }

    /// Whether a call waits on `reply`.
    func contains(_ reply: String) -> Bool { index[ReplyKey(reply)] != nil }

    /// Reads or changes the call waiting on `reply` in place; nil when none.
    mutating func withCall<R>(_ reply: String, _ body: (inout PendingCall) -> R) -> R? {
        guard let s = index[ReplyKey(reply)] else { return nil }
        return body(&slots[Int(s)].call!)
    }

    /// Adds a call. Returns the call it replaced (same reply subject) and the oldest call given up
    /// to stay within `limit`, if any.
    mutating func insert(reply: String, call: consuming PendingCall) -> (replaced: PendingCall?, evicted: PendingCall?) {
        let key = ReplyKey(reply)
        let replaced = remove(key)
        var evicted: PendingCall?
        if index.count >= limit { evicted = popOldestLive() }
        let sequence = call.invocation.sequence
        let deadline = call.receivedAt + timeout
        let slot: Int32
        if let reuse = freeSlots.popLast() {
            slot = reuse
            slots[Int(slot)] = Slot(call: consume call, reply: key, sequence: sequence)
        } else {
            slot = Int32(slots.count)
            slots.append(Slot(call: consume call, reply: key, sequence: sequence))
        }
        index[key] = slot
        order.append(Entry(slot: slot, sequence: sequence, deadline: deadline))
        compactIfNeeded()
        return (replaced, evicted)
    }

    mutating func remove(reply: String) -> PendingCall? {
        remove(ReplyKey(reply))
    }

    private mutating func remove(_ key: ReplyKey) -> PendingCall? {
        guard let s = index.removeValue(forKey: key) else { return nil }
        return release(s)
    }

    /// Removes and returns the calls whose deadline has passed.
    mutating func expire(now: ContinuousClock.Instant, _ body: (PendingCall) -> Void) {
        while head < order.count, order[head].deadline <= now {
            let e = order[head]
            head += 1
            if let call = take(e) { body(call) }
        }
        compactIfNeeded()
    }

    private mutating func popOldestLive() -> PendingCall? {
        while head < order.count {
            let e = order[head]
            head += 1
            if let call = take(e) { return call }
        }
        return nil
    }

    /// The call of a queue entry if it is still the one waiting in that slot.
    private mutating func take(_ e: Entry) -> PendingCall? {
        let i = Int(e.slot)
        guard slots[i].sequence == e.sequence, let key = slots[i].reply else { return nil }
        index.removeValue(forKey: key)
        return release(e.slot)
    }

    private mutating func release(_ slot: Int32) -> PendingCall? {
        let i = Int(slot)
        let call = slots[i].call.take()
        slots[i].reply = nil
        slots[i].sequence = 0
        freeSlots.append(slot)
        return call
    }

    /// Ended calls leave their entry in `order`; drop those (and the consumed head) once they
    /// outnumber the live ones, so `order` stays within about twice `limit`.
    private mutating func compactIfNeeded() {
        if head > 0 && head == order.count {
            order.removeAll(keepingCapacity: true)
            head = 0
        } else if order.count - head > 2 * limit + 1024 {
            order = order[head...].filter { slots[Int($0.slot)].sequence == $0.sequence && slots[Int($0.slot)].reply != nil }
            head = 0
        } else if head > 4096 && head > order.count / 2 {
            order.removeFirst(head)
            head = 0
        }
    }
}
