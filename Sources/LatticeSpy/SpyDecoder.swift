import Foundation
import LatticeProtocol

/// Turns received messages into compact `SpyInbound`s, a whole batch at a time, reading the
/// wire bytes in place (subject, reply, header block, payload: no `String` or `Data` per
/// message). One decoder per consumer (it is not shared, so it needs no lock): it interns call
/// sites (subject + caller headers) in a fixed table keyed by a hash of those bytes, so that the
/// ring holds one shared object per distinct call site; strings are made only for a new site.
/// A batch's per-message bytes (reply, traceparent, payload prefix; an inbox message's subject)
/// go into one buffer.
public struct SpyDecoder {
    /// Which subscription a batch came from.
    public enum Stream: Sendable {
        case invocations
        case inboxes
    }

    let previewBytes: Int
    let keepRaw: Bool
    private let inboxPrefixes: [[UInt8]]
    private var routes: [String: SpyRoute] = [:]
    /// Interned call sites, direct-mapped by key hash (a collision replaces the entry).
    private var sites: [SpyCallSite?]
    private var siteHashes: [UInt64]
    static let cacheLimit = 4096

    public init(configuration: SpyConfiguration = SpyConfiguration()) {
        previewBytes = min(configuration.previewBytes, Int(UInt16.max))
        keepRaw = configuration.rawTailMessages > 0
        inboxPrefixes = configuration.inboxPrefixes.map { Array($0.utf8) }
        sites = Array(repeating: nil, count: Self.cacheLimit)
        siteHashes = Array(repeating: 0, count: Self.cacheLimit)
    }

    public mutating func decode<M: SpyMessageSource>(_ batch: [M], from stream: Stream) -> SpyDecodedBatch {
        decode(batch[...], from: stream)
    }

    public mutating func decode<M: SpyMessageSource>(_ batch: ArraySlice<M>, from stream: Stream) -> SpyDecodedBatch {
        var items: [SpyInbound] = []
        items.reserveCapacity(batch.count)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(batch.count * (previewBytes + 48))
        var malformed = 0
        let wallNow = Date()
        let clockNow = ContinuousClock.now
        for message in batch {
            let age = clockNow - message.receivedAt
            let time = wallNow.addingTimeInterval(-Self.seconds(age))
            let item: SpyInbound? = message.withWireBytes { wire in
                decode(wire, message: message, stream: stream, time: time, into: &bytes)
            }
            if let item { items.append(item) } else { malformed += 1 }
        }
        return SpyDecodedBatch(items: items, bytes: bytes, malformed: malformed, received: batch.count)
    }

    /// Decodes one message (tests, fixtures). Nil for an invocation stream message that is not a
    /// wRPC invocation subject.
    public mutating func decode<M: SpyMessageSource>(_ message: M, from stream: Stream) -> SpyInbound? {
        decode([message], from: stream).items.first
    }

    private mutating func decode<M: SpyMessageSource>(
        _ wire: SpyWireBytes, message: M, stream: Stream, time: Date, into bytes: inout [UInt8]
    ) -> SpyInbound? {
        guard let fields = SpyHeaderFields(wire.headers) else {
            // A header block only cnats' parser reads right: take its view, re-encoded.
            var block = SpyWireMessage.encodeHeaders(message.headers)
            return block.withUTF8 { h in
                var w = wire
                w.headers = UnsafeRawBufferPointer(h)
                guard let clean = SpyHeaderFields(w.headers) else { return nil }
                return decode(w, fields: clean, message: message, stream: stream, time: time, into: &bytes)
            }
        }
        return decode(wire, fields: fields, message: message, stream: stream, time: time, into: &bytes)
    }

    private mutating func decode<M: SpyMessageSource>(
        _ wire: SpyWireBytes, fields: SpyHeaderFields, message: M, stream: Stream, time: Date, into bytes: inout [UInt8]
    ) -> SpyInbound? {
        let headers = wire.headers
        func part(_ r: Range<Int>?) -> UnsafeRawBufferPointer? { r.map { UnsafeRawBufferPointer(rebasing: headers[$0]) } }
        let payload = UnsafeRawBufferPointer(rebasing: wire.payload.prefix(previewBytes))
        let reply = UnsafeRawBufferPointer(rebasing: wire.reply.prefix(Int(UInt16.max)))
        let origin: SpyInbound.Origin
        let subject: UnsafeRawBufferPointer
        var trace = UnsafeRawBufferPointer(start: nil, count: 0)
        switch stream {
        case .invocations:
            let key = SpyCallSite.KeyParts(
                subject: wire.subject, source: part(fields.sourceID), targetID: part(fields.targetID), rawLinkName: part(fields.linkName))
            guard let site = site(for: key) else { return nil }
            origin = .invocation(site)
            subject = UnsafeRawBufferPointer(start: nil, count: 0)
            if let t = part(fields.traceparent) { trace = UnsafeRawBufferPointer(rebasing: t.prefix(Int(UInt8.max))) }
        case .inboxes:
            origin = .inbox
            subject = UnsafeRawBufferPointer(rebasing: wire.subject.prefix(Int(UInt16.max)))
        }
        let span = SpyByteSpan(
            offset: bytes.count, subjectLength: UInt16(subject.count), replyLength: UInt16(reply.count),
            payloadLength: UInt16(payload.count), traceLength: UInt8(trace.count))
        bytes.append(contentsOf: subject)
        bytes.append(contentsOf: reply)
        bytes.append(contentsOf: trace)
        bytes.append(contentsOf: payload)
        return SpyInbound(
            origin: origin, span: span, statusCode: stream == .inboxes ? fields.status : 0, observed: observes(reply),
            size: wire.payload.count, receivedAt: message.receivedAt, time: time, raw: keepRaw ? message : nil)
    }

    /// Whether replies to `reply` reach one of the inbox subscriptions (`prefix.` + something).
    private func observes(_ reply: UnsafeRawBufferPointer) -> Bool {
        for prefix in inboxPrefixes where reply.count > prefix.count + 1 {
            if reply[prefix.count] == UInt8(ascii: "."), prefix.withUnsafeBytes({ SpyByteHash.equal($0, UnsafeRawBufferPointer(rebasing: reply.prefix(prefix.count))) }) {
                return true
            }
        }
        return false
    }

    private mutating func route(for subject: String) -> SpyRoute? {
        if let cached = routes[subject] { return cached }
        guard let parsed = WRPCSubject(parsing: subject) else { return nil }
        let route = SpyRoute(parsed, subject: subject)
        if routes.count >= Self.cacheLimit { routes.removeAll(keepingCapacity: true) }
        routes[subject] = route
        return route
    }

    /// The interned call site of an invocation (nil when the subject is not an invocation subject).
    private mutating func site(for key: SpyCallSite.KeyParts) -> SpyCallSite? {
        let hash = key.hash
        let i = Int(truncatingIfNeeded: hash) & (Self.cacheLimit - 1)
        if siteHashes[i] == hash, let cached = sites[i], key.matches(cached.key) { return cached }
        let subject = String(decoding: key.subject, as: UTF8.self)
        guard let route = route(for: subject) else { return nil }
        func text(_ b: UnsafeRawBufferPointer?) -> String? { b.map { String(decoding: $0, as: UTF8.self) } }
        let site = SpyCallSite(route: route, source: text(key.source), targetID: text(key.targetID), rawLinkName: text(key.rawLinkName))
        sites[i] = site
        siteHashes[i] = hash
        return site
    }

    static func seconds(_ d: Duration) -> Double {
        let (s, atto) = d.components
        return Double(s) + Double(atto) * 1e-18
    }
}
