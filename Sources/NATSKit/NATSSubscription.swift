import CNATS
import Synchronization

/// A subscription whose messages arrive in batches: the cnats thread only appends to a bounded
/// buffer, and the consumer takes everything waiting at once. Iterate it, or call `nextBatch()`.
public final class NATSSubscription: Sendable, AsyncSequence {
    public typealias Element = [NATSMessage]

    public let subject: String
    public let queue: String?
    let buffer: MessageBatchBuffer
    private let handle: Mutex<SubscriptionHandle>

    init(subject: String, queue: String?, buffer: MessageBatchBuffer, sub: OpaquePointer) {
        self.subject = subject
        self.queue = queue
        self.buffer = buffer
        self.handle = Mutex(SubscriptionHandle(sub: sub))
    }

    deinit {
        handle.withLock { h in
            h.unsubscribe()
            if let sub = h.sub { natsSubscription_Destroy(sub) }
            h.sub = nil
        }
    }

    /// The next batch (everything buffered), or nil when the subscription has ended.
    public func nextBatch() async -> [NATSMessage]? {
        await buffer.next()
    }

    /// Messages lost because a consumer fell behind: ours (buffer full) plus cnats' own
    /// (its pending limits), as `natsSubscription_GetDropped` reports them.
    public var dropped: Int64 {
        buffer.dropped + handle.withLock { $0.cnatsDropped() }
    }

    /// Messages that arrived after `stopDiscarding()` or were still queued then: neither handed to the
    /// consumer nor dropped for lack of room, but let go because the consumer stopped.
    public var discarded: Int64 { buffer.discarded }

    /// Messages handed to the consumer so far.
    public var delivered: Int64 { buffer.delivered }

    /// Messages waiting in the buffer right now (received, not yet taken by the consumer).
    public var pending: Int { buffer.pending }

    /// False once the subscription has ended (unsubscribed, timed out or its connection closed).
    public var isActive: Bool { !buffer.isClosed }

    /// Ends the subscription; a waiting consumer gets nil once the buffer is drained.
    public func unsubscribe() {
        handle.withLock { $0.unsubscribe() }
        buffer.close()
    }

    /// The consumer gets nil next: what is buffered now and what cnats still hands over is let go
    /// and counted in `discarded` (callable from any thread, e.g. a signal handler's queue).
    public func discardQueued() {
        buffer.discardAll()
    }

    /// Whether `discardQueued()` was called: a consumer should let go of what it still holds.
    public var isDiscarding: Bool { buffer.isDiscarding }

    /// The consumer let go of `count` messages it had taken (after `discardQueued()`): they are
    /// counted in `discarded` instead of `delivered`.
    public func letGo(_ count: Int) {
        buffer.letGo(count)
    }

    /// Stops at once and accounts for every message the server sent: the consumer gets nil next
    /// (what is buffered is let go), the server is told to stop (UNSUB), and the messages already on
    /// their way — in cnats' queue or still on the socket — are taken and counted in `discarded`
    /// (cnats drains the subscription). So, afterwards, what the server delivered to this
    /// subscription = `delivered` + `dropped` + `discarded`. Waits at most `timeout` for cnats.
    public func stopDiscarding(timeout: Duration = .seconds(1)) {
        discardQueued()
        let ms = Int64(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        let sub = handle.withLock { h -> OpaquePointer? in h.beginDrain(timeout: ms) }
        // Waiting happens outside our lock: the cnats thread calls back into the buffer meanwhile.
        if let sub { _ = natsSubscription_WaitForDrainCompletion(sub, Swift.max(1, ms)) }
        handle.withLock { $0.endDrain() }
    }

    /// Sets cnats' own pending limits (messages and bytes queued before our callback runs).
    public func setPendingLimits(messages: Int, bytes: Int) {
        handle.withLock { h in
            if let sub = h.sub, h.active { _ = natsSubscription_SetPendingLimits(sub, Int32(clamping: messages), Int32(clamping: bytes)) }
        }
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let subscription: NATSSubscription
        public mutating func next() async -> [NATSMessage]? { await subscription.nextBatch() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(subscription: self) }
}

struct SubscriptionHandle: @unchecked Sendable {
    var sub: OpaquePointer?
    var active = true
    var lastDropped: Int64 = 0

    mutating func unsubscribe() {
        guard active, let sub else { return }
        lastDropped = cnatsDropped()
        active = false
        _ = natsSubscription_Unsubscribe(sub)
    }

    /// Starts cnats' drain (UNSUB, then the queued messages are delivered); the sub to wait on.
    mutating func beginDrain(timeout ms: Int64) -> OpaquePointer? {
        guard active, let sub else { return nil }
        lastDropped = cnatsDropped()
        guard natsSubscription_DrainTimeout(sub, max(1, ms)) == NATS_OK else {
            unsubscribe()
            return nil
        }
        return sub
    }

    /// After the drain: the final drop count, and the subscription no longer active.
    mutating func endDrain() {
        guard active else { return }
        lastDropped = cnatsDropped()
        active = false
    }

    mutating func cnatsDropped() -> Int64 {
        guard active, let sub else { return lastDropped }
        var n: Int64 = 0
        if natsSubscription_GetDropped(sub, &n) == NATS_OK { lastDropped = n }
        return lastDropped
    }
}
