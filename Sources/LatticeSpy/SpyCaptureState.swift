import Foundation

/// Everything a capture holds, changed only under `SpyCapture`'s lock: the ring, pairing tables,
/// statistics and counters. Pairing: an inbox message on exactly an invocation's reply subject is
/// its handshake; one on `<reply>.results[…]` its results; one on `<server inbox>.params[…]`
/// more parameters. Anything else waits briefly in `early` (it may have overtaken its
/// invocation) and is then counted as unmatched. The hot path works on the decoded batch's
/// bytes; `SpyMessage`s are built only for event listeners and readers.
struct SpyCaptureState: Sendable {
    let configuration: SpyConfiguration
    let scope: SpyScope
    var ring: SpyMessageStore
    var pending: PendingCalls
    /// Server inbox (from a handshake) → the call's reply subject.
    var serverInboxes: [String: String] = [:]
    var early: EarlyReplies
    /// Calls with results begun: their further result chunks and closing messages.
    var closing: ClosingCalls
    var operations: OperationTable
    var rates: RateSeries
    var counters = SpyCounters()
    var raw: RawTail
    var frozen: FrozenView?
    /// Events of the chunk being ingested; nil when nobody listens.
    var events: [SpyEvent]?
    var sinks: [EventSink] = []
    /// The wall-clock second of the last stored message, and its rate bucket count not yet added.
    private var rateSecond: Int64 = .min
    private var rateCount = 0

    struct FrozenView: Sendable {
        var ring: SpyMessageStore
        var operations: [SpyOperationStats]
        var rates: RateSeries
        var at: Date
    }

    struct EventSink: Sendable {
        let id: UInt64
        let continuation: AsyncStream<[SpyEvent]>.Continuation
    }

    /// Arena bytes per stored message: a reply subject, a traceparent and the preview.
    static func bytesPerMessage(_ configuration: SpyConfiguration) -> Int { configuration.previewBytes + 96 }

    init(configuration: SpyConfiguration, scope: SpyScope) {
        self.configuration = configuration
        self.scope = scope
        ring = SpyMessageStore(capacity: configuration.ringCapacity, bytesPerMessage: Self.bytesPerMessage(configuration))
        pending = PendingCalls(limit: configuration.maxPendingCalls, timeout: configuration.replyTimeout)
        early = EarlyReplies(limit: 4096, window: min(configuration.replyTimeout, .seconds(1)))
        closing = ClosingCalls(limit: configuration.maxPendingCalls, window: configuration.replyTimeout)
        operations = OperationTable(limit: configuration.maxOperations)
        rates = RateSeries(window: configuration.rateWindowSeconds)
        raw = RawTail(limit: configuration.rawTailMessages, byteBudget: configuration.rawTailBytes)
    }

    // MARK: - Ingest

    /// Applies decoded messages whose bytes are in `bytes`.
    mutating func ingest(_ items: ArraySlice<SpyInbound>, bytes: UnsafeRawBufferPointer) {
        if !sinks.isEmpty { events = [] }
        for i in items.indices {
            switch items[i].origin {
            case .invocation(let site): invocation(items[i], site: site, bytes: bytes)
            case .inbox: inbox(items[i], bytes: bytes, retry: false)
            }
        }
        flushRate()
        if let last = items.last { expire(now: last.receivedAt) }
        publishEvents()
    }

    private mutating func invocation(_ m: SpyInbound, site: SpyCallSite, bytes src: UnsafeRawBufferPointer) {
        let route = site.route
        var attribution = SpyAttribution.direct
        if case .component(let id) = scope, route.target != id {
            if let source = site.source { if source != id { attribution = .foreign } } else { attribution = .assumed }
        }
        if attribution == .foreign {
            counters.foreignCalls += 1
            if configuration.foreignCalls == .drop { return }
        }
        let sequence = ring.totalAppended
        let observed = m.observed && m.span.replyLength > 0
        var slot = SpySlot(
            callSequence: sequence, time: m.time, site: site, size: m.size, statusCode: 0, kind: .invocation,
            attribution: attribution, outcome: observed ? .pending : .unobserved)
        append(slot, bytes: src, span: m.span, withSubject: false, raw: m.raw)
        counters.invocations += 1
        if attribution != .foreign { operations.invoked(route) }
        guard observed else {
            counters.unobserved += 1
            if events != nil, let message = ring[position: sequence] { events?.append(.call(SpyCall(invocation: message, results: nil))) }
            return
        }
        let reply = UnsafeRawBufferPointer(rebasing: src[m.span.reply])
        if let replaced = pending.find(reply) { finish(replaced, outcome: .evicted) }
        if pending.count >= pending.limit, let oldest = pending.oldest() { finish(oldest, outcome: .evicted) }
        slot.setLengths(m.span, withSubject: false)
        pending.insert(
            PendingCall(slot: slot, sequence: sequence, receivedAt: m.receivedAt),
            callBytes: UnsafeRawBufferPointer(rebasing: src[m.span.afterSubject]), replyLength: Int(m.span.replyLength))
        if early.count > 0 {
            let text = String(decoding: reply, as: UTF8.self)
            for waiting in early.take(text) { retry(waiting) }
            for waiting in early.take(text + ".results") { retry(waiting) }
        }
    }

    private mutating func retry(_ waiting: EarlyReplies.Waiting) {
        waiting.bytes.withUnsafeBytes { inbox(waiting.inbound, bytes: $0, retry: true) }
    }

    private mutating func inbox(_ m: SpyInbound, bytes src: UnsafeRawBufferPointer, retry: Bool) {
        let subject = UnsafeRawBufferPointer(rebasing: src[m.span.subject])
        if let slot = pending.find(subject) {
            handshake(m, bytes: src, slot: slot)
            return
        }
        if let base = Self.base(of: subject, suffix: Self.resultsSuffix) {
            if let slot = pending.find(base) {
                let call = pending[slot]
                let nanos = Self.nanos(from: call.receivedAt, to: m.receivedAt)
                var results = Self.reply(m, for: call, kind: .results, outcome: .ok)
                results.resultsNanos = nanos
                if call.handshakeNanos >= 0 { results.handshakeNanos = call.handshakeNanos }
                let position = append(results, bytes: src, span: m.span, withSubject: true, raw: m.raw)
                finish(slot, outcome: .ok, resultsNanos: nanos, resultsPosition: position)
                // A first message that is already the close (no results) ends the stream too.
                if m.size > 0 {
                    closing.add(reply: String(decoding: base, as: UTF8.self), resultsPosition: position, serverInbox: call.serverInbox,
                                now: m.receivedAt)
                }
                return
            }
            if closing.count > 0, let call = closing.results(on: String(decoding: base, as: UTF8.self), closing: m.size == 0) {
                // More results of a call whose results began (sizes add up), or the empty close.
                counters.replies += 1
                if m.size > 0 { ring.update(position: call.resultsPosition) { $0.size32 = UInt32(clamping: UInt64($0.size32) + UInt64(m.size)) } }
                return
            }
        }
        if let base = Self.base(of: subject, suffix: Self.paramsSuffix) {
            let inbox = String(decoding: base, as: UTF8.self)
            if let reply = serverInboxes[inbox], let slot = pending.find(reply) {
                append(Self.reply(m, for: pending[slot], kind: .params, outcome: .pending), bytes: src, span: m.span, withSubject: true, raw: m.raw)
                return
            }
            if closing.count > 0, closing.parameters(on: inbox, closing: m.size == 0) {
                // More parameters or their close, after the results began.
                counters.replies += 1
                return
            }
        }
        if retry {
            counters.unmatchedReplies += 1
        } else {
            counters.unmatchedReplies += UInt64(early.add(m, bytes: src, subject: String(decoding: subject, as: UTF8.self)))
        }
    }

    private mutating func handshake(_ m: SpyInbound, bytes src: UnsafeRawBufferPointer, slot: Int32) {
        let status = m.statusCode
        let failure: SpyOutcome? = switch status {
        case 0, 100..<400: nil
        case 503: .notConnected
        case 408: .timedOut
        default: .failed
        }
        // Record the handshake on the pending call (first one wins) and build its message.
        let call = pending[slot]
        let nanos = Self.nanos(from: call.receivedAt, to: m.receivedAt)
        let first = call.handshakeNanos < 0
        if first { pending[slot].handshakeNanos = nanos }
        let serverInbox = m.span.replyLength > 0 ? String(decoding: src[m.span.reply], as: UTF8.self) : nil
        if failure == nil, let serverInbox { pending[slot].serverInbox = serverInbox }
        var message = Self.reply(m, for: call, kind: .handshake, outcome: failure ?? .pending)
        message.handshakeNanos = nanos
        message.statusCode = status
        if first && call.slot.attribution != .foreign { operations.handshake(call.route, latency: .nanoseconds(nanos)) }
        append(message, bytes: src, span: m.span, withSubject: true, raw: m.raw)
        if let failure {
            finish(slot, outcome: failure, status: status)
            return
        }
        if let serverInbox { serverInboxes[serverInbox] = String(decoding: src[m.span.subject], as: UTF8.self) }
        if first { ring.update(position: call.sequence) { $0.handshakeNanos = nanos } }
    }

    /// A stored reply of `call`: it carries the call's route and caller headers.
    private static func reply(_ m: SpyInbound, for call: PendingCall, kind: SpyMessageKind, outcome: SpyOutcome) -> SpySlot {
        SpySlot(
            callSequence: call.sequence, time: m.time, site: call.slot.site, size: m.size, statusCode: m.statusCode, kind: kind,
            attribution: call.slot.attribution, outcome: outcome)
    }

    @discardableResult
    private mutating func append(
        _ slot: SpySlot, bytes: UnsafeRawBufferPointer, span: SpyByteSpan, withSubject: Bool, raw: (any SpyMessageSource)?
    ) -> UInt64 {
        if slot.kind != .invocation { counters.replies += 1 }
        let position = ring.append(slot, bytes: bytes, span: span, withSubject: withSubject)
        counters.kept += 1
        let second = Int64(slot.time.timeIntervalSince1970.rounded(.down))
        if second != rateSecond { flushRate() }
        rateSecond = second
        rateCount += 1
        if let raw { self.raw.add(sequence: position, raw: raw, size: Int(slot.size32)) }
        if events != nil, let message = ring[position: position] { events?.append(.message(message)) }
        return position
    }

    private mutating func flushRate() {
        if rateCount > 0 { rates.add(second: rateSecond, count: rateCount) }
        rateCount = 0
    }

    /// Ends the call in `slot`: updates its invocation in the ring, counts it and frees the slot.
    private mutating func finish(
        _ slot: Int32, outcome: SpyOutcome, resultsNanos: Int64 = -1, status: UInt16 = 0, resultsPosition: UInt64? = nil
    ) {
        let call = pending[slot]
        if let s = call.serverInbox { serverInboxes.removeValue(forKey: s) }
        var invocation = call.slot
        invocation.outcome = outcome
        invocation.handshakeNanos = call.handshakeNanos
        invocation.resultsNanos = resultsNanos
        invocation.statusCode = status
        ring.update(position: call.sequence) { m in
            m.outcome = outcome
            m.handshakeNanos = call.handshakeNanos
            m.resultsNanos = resultsNanos
            m.statusCode = status
        }
        switch outcome {
        case .ok: counters.ok += 1
        case .notConnected, .failed: counters.failed += 1
        case .timedOut: counters.timedOut += 1
        case .evicted: counters.evicted += 1
        case .pending, .unobserved: break
        }
        if invocation.attribution != .foreign && outcome != .evicted {
            operations.completed(invocation.site.route, outcome: outcome,
                                 latency: resultsNanos >= 0 ? .nanoseconds(resultsNanos) : nil)
        }
        if events != nil {
            let message = pending.withBytes(slot) { invocation.message(sequence: call.sequence, bytes: $0) }
            events?.append(.call(SpyCall(invocation: message, results: resultsPosition.flatMap { ring[position: $0] })))
        }
        pending.remove(slot)
    }

    // MARK: - Timeouts

    mutating func expire(now: ContinuousClock.Instant) {
        while let slot = pending.nextExpired(now: now) {
            counters.expired += 1
            finish(slot, outcome: .timedOut)
        }
        counters.unmatchedReplies += UInt64(early.expire(now: now))
        closing.expire(now: now)
    }

    /// Expires on a timer (no traffic); publishes the resulting events.
    mutating func tick(now: ContinuousClock.Instant) {
        if !sinks.isEmpty { events = [] }
        expire(now: now)
        publishEvents()
    }

    // MARK: - Events

    private mutating func publishEvents() {
        guard let batch = events else { return }
        events = nil
        guard !batch.isEmpty else { return }
        var gone: [UInt64] = []
        for sink in sinks {
            switch sink.continuation.yield(batch) {
            case .dropped: counters.eventsDropped += UInt64(batch.messageCount)
            case .terminated: gone.append(sink.id)
            case .enqueued: break
            @unknown default: break
            }
        }
        if !gone.isEmpty { sinks.removeAll { gone.contains($0.id) } }
    }

    // MARK: - Helpers

    static let resultsSuffix = Array(".results".utf8)
    static let paramsSuffix = Array(".params".utf8)

    /// `R` for `R<suffix>` and `R<suffix>.…` (indexed sub-subjects), else nil.
    static func base(of subject: UnsafeRawBufferPointer, suffix: [UInt8]) -> UnsafeRawBufferPointer? {
        let n = subject.count
        let k = suffix.count
        guard n >= k else { return nil }
        return suffix.withUnsafeBytes { s -> UnsafeRawBufferPointer? in
            if SpyByteHash.equal(UnsafeRawBufferPointer(rebasing: subject[(n - k)...]), s) {
                return UnsafeRawBufferPointer(rebasing: subject[..<(n - k)])
            }
            var i = 0
            while i + k < n {
                if subject[i + k] == UInt8(ascii: "."), subject[i] == s[0],
                   SpyByteHash.equal(UnsafeRawBufferPointer(rebasing: subject[i..<(i + k)]), s) {
                    return UnsafeRawBufferPointer(rebasing: subject[..<i])
                }
                i += 1
            }
            return nil
        }
    }

    static func nanos(from start: ContinuousClock.Instant, to end: ContinuousClock.Instant) -> Int64 {
        let (s, atto) = (end - start).components
        return max(0, s * 1_000_000_000 + atto / 1_000_000_000)
    }
}
