import Foundation

/// Everything a capture holds, changed only under `SpyCapture`'s lock: the ring, pairing tables,
/// statistics and counters. Pairing: an inbox message on exactly an invocation's reply subject is
/// its handshake; one on `<reply>.results[…]` its results; one on `<server inbox>.params[…]`
/// more parameters. Anything else waits briefly in `early` (it may have overtaken its
/// invocation) and is then counted as unmatched.
struct SpyCaptureState: Sendable {
    let configuration: SpyConfiguration
    let scope: SpyScope
    var ring: SpyRing<SpyMessage>
    var pending: PendingCalls
    /// Server inbox (from a handshake) → the call's reply subject.
    var serverInboxes: [String: String] = [:]
    var early: EarlyReplies
    var operations: OperationTable
    var rates: RateSeries
    var counters = SpyCounters()
    var raw: RawTail
    var frozen: FrozenView?
    /// Events of the chunk being ingested; nil when nobody listens.
    var events: [SpyEvent]?
    var sinks: [EventSink] = []

    struct FrozenView: Sendable {
        var ring: SpyRing<SpyMessage>
        var operations: [SpyOperationStats]
        var rates: RateSeries
        var at: Date
    }

    struct EventSink: Sendable {
        let id: UInt64
        let continuation: AsyncStream<[SpyEvent]>.Continuation
    }

    init(configuration: SpyConfiguration, scope: SpyScope) {
        self.configuration = configuration
        self.scope = scope
        ring = SpyRing(capacity: configuration.ringCapacity)
        pending = PendingCalls(limit: configuration.maxPendingCalls, timeout: configuration.replyTimeout)
        early = EarlyReplies(limit: 4096, window: min(configuration.replyTimeout, .seconds(1)))
        operations = OperationTable(limit: configuration.maxOperations)
        rates = RateSeries(window: configuration.rateWindowSeconds)
        raw = RawTail(limit: configuration.rawTailMessages, byteBudget: configuration.rawTailBytes)
    }

    // MARK: - Ingest

    mutating func ingest(_ items: ArraySlice<SpyInbound>) {
        if !sinks.isEmpty { events = [] }
        for i in items.indices {
            switch items[i].origin {
            case .invocation(let site): invocation(items[i], site: site)
            case .inbox(let subject): inbox(items[i], subject: subject, retry: false)
            }
        }
        if let last = items.last { expire(now: last.receivedAt) }
        publishEvents()
    }

    private mutating func invocation(_ m: borrowing SpyInbound, site: SpyCallSite) {
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
        let observed = m.reply.map(configuration.observes(reply:)) ?? false
        let message = SpyMessage(
            sequence: sequence, time: m.time, kind: .invocation, site: site, size: m.size, attribution: attribution, callSequence: sequence,
            outcome: observed ? .pending : .unobserved, statusCode: 0, bytes: m.bytes)
        append(message, raw: m.raw)
        counters.invocations += 1
        if attribution != .foreign { operations.invoked(route) }
        guard observed, let reply = m.reply else {
            counters.unobserved += 1
            events?.append(.call(SpyCall(invocation: message, results: nil)))
            return
        }
        let (replaced, evicted) = pending.insert(reply: reply, call: PendingCall(invocation: message, receivedAt: m.receivedAt))
        if let replaced { finish(replaced, outcome: .evicted) }
        if let evicted { finish(evicted, outcome: .evicted) }
        if early.count > 0 {
            for waiting in early.take(reply) { inbox(waiting, subject: reply, retry: true) }
            let results = reply + ".results"
            for waiting in early.take(results) { inbox(waiting, subject: results, retry: true) }
        }
    }

    private mutating func inbox(_ m: SpyInbound, subject: String, retry: Bool) {
        if pending.contains(subject) {
            handshake(m, subject: subject)
            return
        }
        if let base = Self.base(of: subject, suffix: ".results"), let call = pending.remove(reply: base) {
            let nanos = Self.nanos(from: call.receivedAt, to: m.receivedAt)
            var results = Self.reply(m, for: call, sequence: ring.totalAppended, kind: .results, outcome: .ok)
            results.resultsNanos = nanos
            if call.handshakeNanos >= 0 { results.handshakeNanos = call.handshakeNanos }
            append(results, raw: m.raw)
            finish(call, outcome: .ok, resultsNanos: nanos, results: results)
            return
        }
        if let base = Self.base(of: subject, suffix: ".params"), let reply = serverInboxes[base],
           let params = pending.withCall(reply, { [sequence = ring.totalAppended] in
               Self.reply(m, for: $0, sequence: sequence, kind: .params, outcome: .pending)
           }) {
            append(params, raw: m.raw)
            return
        }
        if retry {
            counters.unmatchedReplies += 1
        } else {
            counters.unmatchedReplies += UInt64(early.add(m, subject: subject))
        }
    }

    private mutating func handshake(_ m: SpyInbound, subject: String) {
        let status = m.statusCode
        let failure: SpyOutcome? = switch status {
        case 0, 100..<400: nil
        case 503: .notConnected
        case 408: .timedOut
        default: .failed
        }
        // Record the handshake on the pending call (first one wins) and build its message.
        let next = ring.totalAppended
        let (message, firstNanos, route, foreign, sequence) = pending.withCall(subject) { call in
            let nanos = Self.nanos(from: call.receivedAt, to: m.receivedAt)
            let first = call.handshakeNanos < 0
            if first { call.handshakeNanos = nanos }
            if failure == nil, let serverInbox = m.reply { call.serverInbox = serverInbox }
            var message = Self.reply(m, for: call, sequence: next, kind: .handshake, outcome: failure ?? .pending)
            message.handshakeNanos = nanos
            message.statusCode = status
            return (message, first ? nanos : -1, call.invocation.route, call.invocation.attribution == .foreign,
                    call.invocation.sequence)
        }!
        if firstNanos >= 0 && !foreign { operations.handshake(route, latency: .nanoseconds(firstNanos)) }
        append(message, raw: m.raw)
        if let failure, let call = pending.remove(reply: subject) {
            finish(call, outcome: failure, status: status)
            return
        }
        if let serverInbox = m.reply { serverInboxes[serverInbox] = subject }
        if firstNanos >= 0 { ring.update(position: sequence) { $0.handshakeNanos = firstNanos } }
    }

    /// A kept reply message of `call`: it carries the call's route and caller headers.
    private static func reply(
        _ m: SpyInbound, for call: PendingCall, sequence: UInt64, kind: SpyMessageKind, outcome: SpyOutcome
    ) -> SpyMessage {
        let inv = call.invocation
        return SpyMessage(
            sequence: sequence, time: m.time, kind: kind, site: inv.site, size: m.size, attribution: inv.attribution,
            callSequence: inv.sequence, outcome: outcome, statusCode: m.statusCode, bytes: m.bytes)
    }

    private mutating func append(_ message: SpyMessage, raw: (any SpyMessageSource)?) {
        if message.kind != .invocation { counters.replies += 1 }
        ring.append(message)
        counters.kept += 1
        rates.add(second: Int64(message.time.timeIntervalSince1970.rounded(.down)))
        if let raw { self.raw.add(sequence: message.sequence, raw: raw, size: message.size) }
        events?.append(.message(message))
    }

    private mutating func finish(
        _ call: consuming PendingCall, outcome: SpyOutcome, resultsNanos: Int64 = -1, status: UInt16 = 0, results: SpyMessage? = nil
    ) {
        if let s = call.serverInbox { serverInboxes.removeValue(forKey: s) }
        var invocation = call.invocation
        invocation.outcome = outcome
        invocation.handshakeNanos = call.handshakeNanos
        invocation.resultsNanos = resultsNanos
        invocation.statusCode = status
        ring.update(position: invocation.sequence) { m in
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
            operations.completed(invocation.route, outcome: outcome,
                                 latency: resultsNanos >= 0 ? .nanoseconds(resultsNanos) : nil)
        }
        events?.append(.call(SpyCall(invocation: invocation, results: results)))
    }

    // MARK: - Timeouts

    mutating func expire(now: ContinuousClock.Instant) {
        var expired: [PendingCall] = []
        pending.expire(now: now) { expired.append($0) }
        for call in expired {
            counters.expired += 1
            finish(call, outcome: .timedOut)
        }
        counters.unmatchedReplies += UInt64(early.expire(now: now))
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
            case .dropped: counters.eventsDropped += UInt64(batch.count)
            case .terminated: gone.append(sink.id)
            case .enqueued: break
            @unknown default: break
            }
        }
        if !gone.isEmpty { sinks.removeAll { gone.contains($0.id) } }
    }

    // MARK: - Helpers

    /// `R` for `R<suffix>` and `R<suffix>.…` (indexed sub-subjects), else nil.
    static func base(of subject: String, suffix: String) -> String? {
        if subject.hasSuffix(suffix) { return String(subject.dropLast(suffix.count)) }
        guard let r = subject.range(of: suffix + ".") else { return nil }
        return String(subject[..<r.lowerBound])
    }

    static func nanos(from start: ContinuousClock.Instant, to end: ContinuousClock.Instant) -> Int64 {
        let (s, atto) = (end - start).components
        return max(0, s * 1_000_000_000 + atto / 1_000_000_000)
    }
}
