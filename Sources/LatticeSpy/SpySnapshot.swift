import Foundation

/// What a view needs at one moment: the newest (matching) messages, per-operation statistics,
/// the message rate, and the counters. While paused, messages, operations and rates are the
/// frozen ones; counters and `pendingCalls` are always live.
public struct SpySnapshot: Sendable {
    /// Oldest first, at most the `limit` asked for.
    public var messages: [SpyMessage]
    /// Messages held in the (frozen or live) ring.
    public var stored: Int
    /// Sequence of the newest message held, nil when empty.
    public var newestSequence: UInt64?
    /// Busiest first.
    public var operations: [SpyOperationStats]
    /// Messages per second for the last `SpyConfiguration.rateWindowSeconds`, oldest first.
    public var messagesPerSecond: [Int]
    public var counters: SpyCounters
    public var pendingCalls: Int
    public var isPaused: Bool
    public var pausedAt: Date?
    public var takenAt: Date
}
