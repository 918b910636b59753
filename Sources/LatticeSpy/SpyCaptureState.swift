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
        for item in items {
            switch item.origin {
            case .invocation(let route): invocation(item, route: route)
            case .inbox(let subject): inbox(item, subject: subject, retry: false)
            }
        }
        if let last = items.last { expire(now: last.receivedAt) }
        publishEvents()
    }

    private mutating func invocation(_ m: SpyInbound, route: SpyRoute) {
        var attribution = SpyAttribution.direct
        if case .component(let id) = scope, route.target != id {
            if let source = m.source { if source != id { attribution = .foreign } } else { attribution = .assumed }
        }
        if attribution == .foreign {
            counters.foreignCalls += 1
            if configuration.foreignCalls == .drop { return }
        }
        let sequence = ring.totalAppended
        let observed = m.reply.map(configuration.observes(reply:)) ?? false
        let message = SpyMessage(
            sequence: sequence, time: m.time, kind: .invocation, route: route, source: m.source, targetID: m.targetID,
            rawLinkName: m.linkName, size: m.size, attribution: attribution, callSequence: sequence,
            outcome: observed ? .pending : .unobserved, statusCode: 0, bytes: m.bytes)
        append(message, raw: m.raw)
        counters.invocations += 1
        if attribution != .foreign { operations.invoked(route) }
        guard observed, let reply = m.reply else {
            counters.unobserved += 1
            events?.append(.call(SpyCall(invocation: message, results: nil)))
            return
        }
        for gone in pending.insert(reply: reply, call: PendingCall(invocation: message, receivedAt: m.receivedAt)) {
            finish(gone, outcome: .evicted)
        }
        if early.count > 0 {
            for waiting in early.take(reply) { inbox(waiting, subject: reply, retry: true) }
            let results = reply + ".results"
            for waiting in early.take(results) { inbox(waiting, subject: results, retry: true) }
        }
    }

    private mutating func inbox(_ m: SpyInbound, subject: String, retry: Bool) {
        if var call = pending[subject] {
            handshake(m, subject: subject, call: &call)
            return
        }
        if let base = Self.base(of: subject, suffix: ".results"), let call = pending.remove(reply: base) {
            let nanos = Self.nanos(from: call.receivedAt, to: m.receivedAt)
            var results = reply(m, for: call, kind: .results, outcome: .ok)
            results.resultsNanos = nanos
            if call.handshakeNanos >= 0 { results.handshakeNanos = call.handshakeNanos }
            append(results, raw: m.raw)
            finish(call, outcome: .ok, resultsNanos: nanos, results: results)
            return
        }
        if let base = Self.base(of: subject, suffix: ".params"), let reply = serverInboxes[base], let call = pending[reply] {
            append(self.reply(m, for: call, kind: .params, outcome: .pending), raw: m.raw)
            return
        }
        if retry {
            counters.unmatchedReplies += 1
        } else {
            counters.unmatchedReplies += UInt64(early.add(m, subject: subject))
        }
    }

    private mutating func handshake(_ m: SpyInbound, subject: String, call: inout PendingCall) {
        let nanos = Self.nanos(from: call.receivedAt, to: m.receivedAt)
        if call.handshakeNanos < 0 {
            call.handshakeNanos = nanos
            if call.invocation.attribution != .foreign {
                operations.handshake(call.invocation.route, latency: .nanoseconds(nanos))
            }
        }
        let status = m.statusCode
        let failure: SpyOutcome? = switch status {
        case 0, 100..<400: nil
        case 503: .notConnected
        case 408: .timedOut
        default: .failed
        }
        var message = reply(m, for: call, kind: .handshake, outcome: failure ?? .pending)
        message.handshakeNanos = nanos
        message.statusCode = status
        append(message, raw: m.raw)
        if let failure {
            _ = pending.remove(reply: subject)
            finish(call, outcome: failure, status: status)
            return
        }
        if let serverInbox = m.reply {
            call.serverInbox = serverInbox
            serverInboxes[serverInbox] = subject
        }
        pending[subject] = call
        let h = call.handshakeNanos
        ring.update(position: call.invocation.sequence) { $0.handshakeNanos = h }
    }

    /// A kept reply message of `call`: it carries the call's route and caller headers.
    private func reply(_ m: SpyInbound, for call: PendingCall, kind: SpyMessageKind, outcome: SpyOutcome) -> SpyMessage {
        let inv = call.invocation
        return SpyMessage(
            sequence: ring.totalAppended, time: m.time, kind: kind, route: inv.route, source: inv.source,
            targetID: inv.targetID, rawLinkName: inv.rawLinkName, size: m.size, attribution: inv.attribution,
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
        _ call: PendingCall, outcome: SpyOutcome, resultsNanos: Int64 = -1, status: UInt16 = 0, results: SpyMessage? = nil
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
        if invocation.attribution != .foreign {
            operations.completed(invocation.route, outcome: outcome,
                                 latency: resultsNanos >= 0 ? .nanoseconds(resultsNanos) : nil)
        }
        events?.append(.call(SpyCall(invocation: invocation, results: results)))
    }

    // MARK: - Timeouts

    mutating func expire(now: ContinuousClock.Instant) {
        for call in pending.expire(now: now) {
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
