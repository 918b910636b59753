import Foundation
import NATSKit
import Synchronization

/// The spy's data: decoded messages in a ring, calls paired with their replies, per-operation
/// statistics, rates and counters. Consumers hand over whole decoded batches (`ingest`), which
/// are applied in chunks of `SpyConfiguration.ingestChunk` under one lock, so a reader
/// (`snapshot`, `detail`) never waits long. Works without NATS (feed it `SpyWireMessage`s).
public final class SpyCapture: Sendable {
    public let configuration: SpyConfiguration
    public let scope: SpyScope
    private let state: Mutex<SpyCaptureState>
    private let subscriptions = Mutex<SubscriptionLedger>(SubscriptionLedger())
    /// Decoder for the convenience `ingest(_:from:)` (consumers normally own one each).
    private let sharedDecoder: Mutex<SpyDecoder>
    private let nextSinkID = Atomic<UInt64>(0)

    public init(configuration: SpyConfiguration = SpyConfiguration(), scope: SpyScope = .lattice) {
        self.configuration = configuration
        self.scope = scope
        state = Mutex(SpyCaptureState(configuration: configuration, scope: scope))
        sharedDecoder = Mutex(SpyDecoder(configuration: configuration))
    }

    // MARK: - Ingest

    /// Applies a decoded batch. `SpyCounters.received` grows when the batch has been applied.
    public func ingest(_ batch: SpyDecodedBatch) {
        batch.bytes.withUnsafeBytes { bytes in
            var start = batch.items.startIndex
            repeat {
                let end = min(start + configuration.ingestChunk, batch.items.endIndex)
                let chunk = batch.items[start..<end]
                let isLast = end == batch.items.endIndex
                state.withLock { s in
                    if !chunk.isEmpty { s.ingest(chunk, bytes: bytes) }
                    if isLast {
                        s.counters.received += UInt64(batch.received)
                        s.counters.malformed += UInt64(batch.malformed)
                    }
                }
                start = end
            } while start < batch.items.endIndex
        }
    }

    /// Decodes and applies messages (tests, fixtures, single consumers).
    public func ingest<M: SpyMessageSource>(_ messages: [M], from stream: SpyDecoder.Stream) {
        let batch = sharedDecoder.withLock { $0.decode(messages, from: stream) }
        ingest(batch)
    }

    /// Times out calls whose reply timeout has passed (the session calls this on a timer).
    public func expire(now: ContinuousClock.Instant = .now) {
        state.withLock { $0.tick(now: now) }
    }

    // MARK: - Reading

    /// The newest messages (matching `filter`), at most `limit`, ending at sequence `endingAt`
    /// (default: the newest), plus statistics and counters. While paused, the frozen capture.
    public func snapshot(limit: Int = 1000, filter: SpyFilter? = nil, endingAt: UInt64? = nil) -> SpySnapshot {
        let (drops, discarded) = subscriptions.withLock { ($0.dropped, $0.discarded) }
        return state.withLock { s in
            var counters = s.counters
            counters.subscriptionDropped = drops
            counters.discardedAtStop = discarded
            counters.overwritten = s.ring.overwritten
            counters.pending = s.pending.count
            let now = Date()
            if let frozen = s.frozen {
                return SpySnapshot(
                    messages: Self.newest(frozen.ring, limit: limit, filter: filter, endingAt: endingAt),
                    stored: frozen.ring.count, newestSequence: frozen.ring.last?.sequence, operations: frozen.operations,
                    messagesPerSecond: frozen.rates.series(endingAt: Self.second(frozen.at)), counters: counters,
                    pendingCalls: s.pending.count, isPaused: true, pausedAt: frozen.at, takenAt: now)
            }
            return SpySnapshot(
                messages: Self.newest(s.ring, limit: limit, filter: filter, endingAt: endingAt),
                stored: s.ring.count, newestSequence: s.ring.last?.sequence, operations: s.operations.sorted,
                messagesPerSecond: s.rates.series(endingAt: Self.second(now)), counters: counters,
                pendingCalls: s.pending.count, isPaused: false, pausedAt: nil, takenAt: now)
        }
    }

    /// Counters only (cheap; always live).
    public var counters: SpyCounters {
        let (drops, discarded) = subscriptions.withLock { ($0.dropped, $0.discarded) }
        return state.withLock { s in
            var c = s.counters
            c.subscriptionDropped = drops
            c.discardedAtStop = discarded
            c.overwritten = s.ring.overwritten
            c.pending = s.pending.count
            return c
        }
    }

    /// A message by sequence (from the frozen ring while paused).
    public func message(sequence: UInt64) -> SpyMessage? {
        state.withLock { s in (s.frozen?.ring ?? s.ring)[position: sequence] }
    }

    /// The message with its full payload and every header, when it is still among the most
    /// recent ones (`rawTailMessages`, `rawTailBytes`); nil otherwise (its preview remains).
    public func detail(sequence: UInt64) -> SpyMessageDetail? {
        let found: (SpyMessage, any SpyMessageSource)? = state.withLock { s in
            guard let m = (s.frozen?.ring ?? s.ring)[position: sequence] ?? s.ring[position: sequence],
                  let raw = s.raw.message(sequence: sequence) else { return nil }
            return (m, raw)
        }
        guard let (message, raw) = found else { return nil }
        return SpyMessageDetail(message: message, payload: raw.data, headers: raw.headers)
    }

    /// Every message held (oldest first), for saving; the frozen ones while paused.
    public func allMessages(filter: SpyFilter? = nil) -> [SpyMessage] {
        state.withLock { s in
            let ring = s.frozen?.ring ?? s.ring
            guard let filter else { return ring.messages() }
            return ring.messages { filter.matches($0) }
        }
    }

    // MARK: - Pause

    /// Freezes what `snapshot` shows; capture goes on underneath.
    public func pause() {
        state.withLock { s in
            guard s.frozen == nil else { return }
            s.frozen = SpyCaptureState.FrozenView(ring: s.ring, operations: s.operations.sorted, rates: s.rates, at: Date())
        }
    }

    public func resume() {
        state.withLock { $0.frozen = nil }
    }

    public var isPaused: Bool { state.withLock { $0.frozen != nil } }

    // MARK: - Events

    /// Messages and call completions as they are captured, one array per ingested chunk. A
    /// listener that falls more than `bufferBatches` batches behind loses batches (counted in
    /// `SpyCounters.eventsDropped`).
    public func events(bufferBatches: Int = 64) -> AsyncStream<[SpyEvent]> {
        let (stream, continuation) = AsyncStream<[SpyEvent]>.makeStream(bufferingPolicy: .bufferingOldest(max(1, bufferBatches)))
        let id = nextSinkID.wrappingAdd(1, ordering: .relaxed).oldValue
        state.withLock { $0.sinks.append(SpyCaptureState.EventSink(id: id, continuation: continuation)) }
        return stream
    }

    /// Hands every `events()` listener an empty batch, so that one waiting for events can look
    /// whether it should stop (nothing is lost: a full stream simply has batches to read).
    public func wakeListeners() {
        state.withLock { s in
            for sink in s.sinks { _ = sink.continuation.yield([]) }
        }
    }

    /// Ends every `events()` stream.
    public func finishEvents() {
        let sinks = state.withLock { s in
            defer { s.sinks = [] }
            return s.sinks
        }
        for sink in sinks { sink.continuation.finish() }
    }

    // MARK: - Subscriptions

    /// Counts `subscription`'s drops in `SpyCounters.subscriptionDropped`.
    public func track(_ subscription: NATSSubscription) {
        subscriptions.withLock { $0.track(subscription) }
    }

    /// Makes every tracked subscription let go of what it holds and what still arrives (counted as
    /// discarded), so that its consumer ends after the batch it has: the first step of stopping at
    /// once, safe from any thread.
    public func discardQueued() {
        subscriptions.withLock { $0.all }.forEach { $0.discardQueued() }
    }

    /// Stops following `subscription`; its drops so far stay counted.
    public func untrack(_ subscription: NATSSubscription) {
        subscriptions.withLock { $0.untrack(subscription) }
    }

    // MARK: - Helpers

    private static func newest(_ ring: SpyMessageStore, limit: Int, filter: SpyFilter?, endingAt: UInt64?) -> [SpyMessage] {
        guard let filter else { return ring.newest(limit: limit, endingAt: endingAt) { _ in true } }
        return ring.newest(limit: limit, endingAt: endingAt) { filter.matches($0) }
    }

    private static func second(_ date: Date) -> Int64 {
        Int64(date.timeIntervalSince1970.rounded(.down))
    }
}

/// The name for the capture: the ring buffer with its statistics, pause, filter and save.
public typealias SpyBuffer = SpyCapture

/// The subscriptions whose drops a capture reports.
struct SubscriptionLedger {
    private var live: [ObjectIdentifier: NATSSubscription] = [:]
    private var retired: UInt64 = 0
    private var retiredDiscards: UInt64 = 0

    mutating func track(_ s: NATSSubscription) { live[ObjectIdentifier(s)] = s }

    mutating func untrack(_ s: NATSSubscription) {
        guard live.removeValue(forKey: ObjectIdentifier(s)) != nil else { return }
        retired += UInt64(max(0, s.dropped))
        retiredDiscards += UInt64(max(0, s.discarded))
    }

    var dropped: UInt64 { retired + live.values.reduce(0) { $0 + UInt64(max(0, $1.dropped)) } }
    var all: [NATSSubscription] { Array(live.values) }

    var discarded: UInt64 { retiredDiscards + live.values.reduce(0) { $0 + UInt64(max(0, $1.discarded)) } }
}
