import Foundation

/// How a spy captures, pairs and keeps wRPC messages. The defaults keep memory flat (well under
/// 64 MiB with a full ring) at any message rate.
public struct SpyConfiguration: Sendable, Equatable {
    /// Messages kept in the ring buffer; the oldest are overwritten.
    public var ringCapacity: Int
    /// Payload bytes kept per message for its preview (the total size is always kept).
    public var previewBytes: Int
    /// The full payload and every header are kept for at most this many of the most recent
    /// messages (by holding their received message), within `rawTailBytes`.
    public var rawTailMessages: Int
    /// Byte budget for those full payloads; a payload larger than this is never kept in full.
    public var rawTailBytes: Int
    /// A call without results after this long is timed out and forgotten.
    public var replyTimeout: Duration
    /// Calls waiting for their replies; beyond this the oldest is given up (counted as evicted).
    public var maxPendingCalls: Int
    /// Inbox prefixes whose replies are paired with invocations: each is subscribed as
    /// `prefix.>`. `_INBOX` covers wRPC's default inboxes and the simulator's `_INBOX.latticesim`.
    public var inboxPrefixes: [String]
    /// Seconds of per-second message counts kept for a sparkline.
    public var rateWindowSeconds: Int
    /// Messages a subscription buffers for the consumer before dropping (and counting) more; cnats'
    /// own queue in front of it gets the same bound. This is what a slow consumer costs in memory
    /// (a few hundred bytes per small message), so it is kept modest.
    public var subscriptionBufferLimit: Int
    /// What to do with a call seen on a linked target's subject but made by another component.
    public var foreignCalls: ForeignCallPolicy
    /// Distinct operations (instance + function) tracked; the rest are pooled as `(other)`.
    public var maxOperations: Int
    /// Messages appended per lock hold, so that readers never wait long behind a big batch.
    public var ingestChunk: Int
    /// How often pending calls are checked for timeouts when no traffic arrives.
    public var expiryInterval: Duration
    /// How often a running session hands freed heap pages back to the system (glibc
    /// `malloc_trim`), keeping RSS near what is in use; nil never does.
    public var heapTrimInterval: Duration?

    public enum ForeignCallPolicy: String, Sendable, Equatable, CaseIterable {
        /// Leave them out of the ring and the statistics, counting them in `SpyCounters.foreignCalls`.
        case drop
        /// Keep them, with `SpyMessage.attribution == .foreign`; statistics still leave them out.
        case mark
    }

    public init(
        ringCapacity: Int = 16_384,
        previewBytes: Int = 64,
        rawTailMessages: Int = 256,
        rawTailBytes: Int = 16 << 20,
        replyTimeout: Duration = .seconds(10),
        maxPendingCalls: Int = 10_000,
        inboxPrefixes: [String] = ["_INBOX"],
        rateWindowSeconds: Int = 60,
        subscriptionBufferLimit: Int = 4_096,
        foreignCalls: ForeignCallPolicy = .drop,
        maxOperations: Int = 512,
        ingestChunk: Int = 2048,
        expiryInterval: Duration = .milliseconds(200),
        heapTrimInterval: Duration? = .seconds(2)
    ) {
        self.ringCapacity = max(1, ringCapacity)
        self.previewBytes = max(0, previewBytes)
        self.rawTailMessages = max(0, rawTailMessages)
        self.rawTailBytes = max(0, rawTailBytes)
        self.replyTimeout = replyTimeout
        self.maxPendingCalls = max(1, maxPendingCalls)
        self.inboxPrefixes = inboxPrefixes.map(Self.normalizedPrefix).filter { !$0.isEmpty }
        self.rateWindowSeconds = max(1, rateWindowSeconds)
        self.subscriptionBufferLimit = max(1, subscriptionBufferLimit)
        self.foreignCalls = foreignCalls
        self.maxOperations = max(1, maxOperations)
        self.ingestChunk = max(1, ingestChunk)
        self.expiryInterval = expiryInterval
        self.heapTrimInterval = heapTrimInterval
    }

    /// `_INBOX`, `_INBOX.` and `_INBOX.>` all mean the prefix `_INBOX`.
    static func normalizedPrefix(_ prefix: String) -> String {
        var p = prefix.trimmingCharacters(in: .whitespaces)
        if p.hasSuffix(".>") { p.removeLast(2) }
        while p.hasSuffix(".") { p.removeLast() }
        return p
    }

    /// The subjects the reply inboxes are subscribed on.
    public var inboxSubjects: [String] { inboxPrefixes.map { $0 + ".>" } }

    /// Whether replies to `reply` reach one of the inbox subscriptions.
    func observes(reply: String) -> Bool {
        for prefix in inboxPrefixes where reply.hasPrefix(prefix) {
            let rest = reply.utf8.dropFirst(prefix.utf8.count)
            if rest.first == UInt8(ascii: ".") && rest.count > 1 { return true }
        }
        return false
    }
}
