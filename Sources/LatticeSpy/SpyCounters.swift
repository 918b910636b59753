/// What the spy saw, kept and lost. Every loss has its own counter; `dropped` sums the message
/// losses (a consumer that fell behind), the others explain why a message was not kept.
public struct SpyCounters: Sendable, Hashable, Codable {
    /// Messages read from the spy's subscriptions.
    public var received: UInt64 = 0
    /// Messages appended to the ring.
    public var kept: UInt64 = 0
    public var invocations: UInt64 = 0
    /// Inbox messages paired with a kept invocation (handshakes, results, params).
    public var replies: UInt64 = 0
    /// Calls whose results arrived.
    public var ok: UInt64 = 0
    /// Calls with a failing handshake status (503 not connected, others).
    public var failed: UInt64 = 0
    /// Calls with status 408 or without results within the reply timeout.
    public var timedOut: UInt64 = 0
    /// Of `timedOut`: calls expired from the pending table (no reply within the timeout).
    public var expired: UInt64 = 0
    /// Calls given up because the pending table was full.
    public var evicted: UInt64 = 0
    /// Calls whose replies the spy cannot see (reply inbox not under a subscribed prefix).
    public var unobserved: UInt64 = 0
    /// Calls on a linked target's subject made by another component (dropped or marked).
    public var foreignCalls: UInt64 = 0
    /// Inbox messages that answered no spied call (other request/reply traffic, late replies).
    public var unmatchedReplies: UInt64 = 0
    /// Messages on invocation subjects that are not wRPC invocation subjects.
    public var malformed: UInt64 = 0
    /// Messages the subscriptions dropped because the consumer fell behind (NATSKit's buffer
    /// and cnats' pending limits).
    public var subscriptionDropped: UInt64 = 0
    /// Messages in the event batches an `events()` listener did not take in time.
    public var eventsDropped: UInt64 = 0
    /// Messages let go because the spy stopped at once (`SpySession.stop(discardingQueued: true)`):
    /// still queued for the consumer, or still on their way when the server was told to stop.
    public var discardedAtStop: UInt64 = 0
    /// Messages overwritten in the ring (by design: it keeps the newest).
    public var overwritten: UInt64 = 0
    /// Calls waiting for replies now.
    public var pending: Int = 0

    public init() {}

    /// Messages lost, not merely filtered: subscription drops plus event-listener drops.
    public var dropped: UInt64 { subscriptionDropped + eventsDropped }

    /// Every message the subscriptions were sent: read by the capture, dropped for lack of room,
    /// or let go at stop. (Exact once the consumers have finished, i.e. after `SpySession.stop`.)
    public var arrived: UInt64 { received + subscriptionDropped + discardedAtStop }
}
