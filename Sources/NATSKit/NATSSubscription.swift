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

    mutating func cnatsDropped() -> Int64 {
        guard active, let sub else { return lastDropped }
        var n: Int64 = 0
        if natsSubscription_GetDropped(sub, &n) == NATS_OK { lastDropped = n }
        return lastDropped
    }
}
