import Foundation

/// An invocation waiting for its replies.
struct PendingCall: Sendable {
    /// The invocation's record (its bytes are kept with the call, see `PendingCalls.withBytes`).
    var slot: SpySlot
    /// The invocation's position in the capture.
    var sequence: UInt64
    var receivedAt: ContinuousClock.Instant
    var handshakeNanos: Int64 = -1
    /// The server's inbox from the handshake (where the rest of the parameters go).
    var serverInbox: String?

    var route: SpyRoute { slot.site.route }
}

/// Invocations waiting for replies, found by the bytes of their reply subject, bounded in count
/// and expired in arrival order (all share one timeout, so arrival order is deadline order).
/// Calls live in a slab of reusable slots, each with a reusable byte buffer for the
/// invocation's bytes (reply first: the key); a compact open-addressing table maps a reply's
/// hash to its slot. Nothing is allocated per call once the slots are warm.
struct PendingCalls: Sendable {
    private struct Entry: Sendable {
        var slot: Int32
        var sequence: UInt64
        var deadline: ContinuousClock.Instant
    }

    private var calls: [PendingCall?] = []
    /// Per slot: the invocation's bytes (reply, traceparent, payload prefix); capacity is kept.
    private var bytes: [[UInt8]] = []
    private var replyLengths: [Int] = []
    private var hashes: [UInt64] = []
    private var freeSlots: [Int32] = []
    /// Open addressing (linear probing), slot + 1 per bucket, 0 when empty.
    private var table: [Int32]
    private let mask: Int
    private var order: [Entry] = []
    private var head = 0
    private(set) var count = 0
    let limit: Int
    let timeout: Duration

    init(limit: Int, timeout: Duration) {
        self.limit = max(1, limit)
        self.timeout = timeout
        var buckets = 16
        while buckets < self.limit * 2 { buckets <<= 1 }
        table = Array(repeating: 0, count: buckets)
        mask = buckets - 1
    }

    // MARK: - Look-up

    /// The slot of the call waiting on `reply`.
    func find(_ reply: UnsafeRawBufferPointer) -> Int32? {
        find(reply, hash: SpyByteHash.hash(reply))
    }

    func find(_ reply: String) -> Int32? {
        var r = reply
        return r.withUTF8 { find(UnsafeRawBufferPointer($0)) }
    }

    private func find(_ reply: UnsafeRawBufferPointer, hash: UInt64) -> Int32? {
        var b = Int(truncatingIfNeeded: hash) & mask
        while true {
            let s = table[b]
            if s == 0 { return nil }
            let slot = Int(s - 1)
            if hashes[slot] == hash && bytes[slot].withUnsafeBytes({ SpyByteHash.equal(UnsafeRawBufferPointer(rebasing: $0.prefix(replyLengths[slot])), reply) }) {
                return s - 1
            }
            b = (b + 1) & mask
        }
    }

    subscript(slot: Int32) -> PendingCall {
        get { calls[Int(slot)]! }
        _modify { yield &calls[Int(slot)]! }
    }

    /// The invocation's bytes (reply, traceparent, payload prefix) of a slot.
    func withBytes<R>(_ slot: Int32, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        bytes[Int(slot)].withUnsafeBytes(body)
    }

    // MARK: - Changes

    /// Adds a call waiting on the first `replyLength` bytes of `callBytes`. The caller has
    /// removed any call on the same reply and made room (`count < limit`).
    mutating func insert(_ call: PendingCall, callBytes: UnsafeRawBufferPointer, replyLength: Int) {
        let reply = UnsafeRawBufferPointer(rebasing: callBytes.prefix(replyLength))
        let hash = SpyByteHash.hash(reply)
        let slot: Int32
        if let reuse = freeSlots.popLast() {
            slot = reuse
            calls[Int(slot)] = call
            bytes[Int(slot)].removeAll(keepingCapacity: true)
            bytes[Int(slot)].append(contentsOf: callBytes)
            replyLengths[Int(slot)] = replyLength
            hashes[Int(slot)] = hash
        } else {
            slot = Int32(calls.count)
            calls.append(call)
            bytes.append(Array(callBytes))
            replyLengths.append(replyLength)
            hashes.append(hash)
        }
        var b = Int(truncatingIfNeeded: hash) & mask
        while table[b] != 0 { b = (b + 1) & mask }
        table[b] = slot + 1
        count += 1
        order.append(Entry(slot: slot, sequence: call.sequence, deadline: call.receivedAt + timeout))
        compactIfNeeded()
    }

    /// Frees a slot (the caller has read what it needs from it).
    mutating func remove(_ slot: Int32) {
        let i = Int(slot)
        guard calls[i] != nil else { return }
        // Backward-shift deletion keeps every probe chain unbroken.
        var b = Int(truncatingIfNeeded: hashes[i]) & mask
        while table[b] != slot + 1 { b = (b + 1) & mask }
        var hole = b
        var j = (hole + 1) & mask
        while table[j] != 0 {
            let home = Int(truncatingIfNeeded: hashes[Int(table[j] - 1)]) & mask
            // Move j into the hole when its home is not cyclically within (hole, j].
            let inRange = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j)
            if !inRange {
                table[hole] = table[j]
                hole = j
            }
            j = (j + 1) & mask
        }
        table[hole] = 0
        calls[i] = nil
        count -= 1
        freeSlots.append(slot)
    }

    /// The oldest call still waiting, when there is one (it stays until `remove`).
    mutating func oldest() -> Int32? {
        while head < order.count {
            let e = order[head]
            if isLive(e) { return e.slot }
            head += 1
        }
        return nil
    }

    /// The oldest call whose deadline has passed (it stays until `remove`).
    mutating func nextExpired(now: ContinuousClock.Instant) -> Int32? {
        while head < order.count, order[head].deadline <= now {
            let e = order[head]
            if isLive(e) { return e.slot }
            head += 1
        }
        compactIfNeeded()
        return nil
    }

    private func isLive(_ e: Entry) -> Bool {
        calls[Int(e.slot)]?.sequence == e.sequence
    }

    /// Ended calls leave their entry in `order`; drop those (and the consumed head) once they
    /// outnumber the live ones, so `order` stays within about twice `limit`.
    private mutating func compactIfNeeded() {
        if head > 0 && head == order.count {
            order.removeAll(keepingCapacity: true)
            head = 0
        } else if order.count - head > 2 * limit + 1024 {
            order = order[head...].filter { isLive($0) }
            head = 0
        } else if head > 4096 && head > order.count / 2 {
            order.removeFirst(head)
            head = 0
        }
    }
}
