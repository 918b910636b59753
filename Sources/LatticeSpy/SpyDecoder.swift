import Foundation
import LatticeProtocol

/// Turns received messages into compact `SpyInbound`s, a whole batch at a time. One decoder per
/// consumer (it is not shared, so it needs no lock): it caches parsed subjects and call sites
/// (subject + caller headers), so that the ring holds one shared object per distinct call site
/// instead of copies of its strings. Both caches are bounded (cleared when full).
public struct SpyDecoder {
    /// Which subscription a batch came from.
    public enum Stream: Sendable {
        case invocations
        case inboxes
    }

    let previewBytes: Int
    let keepRaw: Bool
    private var routes: [String: SpyRoute] = [:]
    private var sites: [SpyCallSite.Key: SpyCallSite] = [:]
    static let cacheLimit = 4096

    public init(configuration: SpyConfiguration = SpyConfiguration()) {
        previewBytes = configuration.previewBytes
        keepRaw = configuration.rawTailMessages > 0
    }

    public mutating func decode<M: SpyMessageSource>(_ batch: [M], from stream: Stream) -> SpyDecodedBatch {
        decode(batch[...], from: stream)
    }

    public mutating func decode<M: SpyMessageSource>(_ batch: ArraySlice<M>, from stream: Stream) -> SpyDecodedBatch {
        var items: [SpyInbound] = []
        items.reserveCapacity(batch.count)
        var malformed = 0
        let wallNow = Date()
        let clockNow = ContinuousClock.now
        for message in batch {
            let age = clockNow - message.receivedAt
            let time = wallNow.addingTimeInterval(-Self.seconds(age))
            switch stream {
            case .invocations:
                guard let site = site(for: message) else {
                    malformed += 1
                    continue
                }
                items.append(invocation(message, site: site, time: time))
            case .inboxes:
                items.append(inbox(message, time: time))
            }
        }
        return SpyDecodedBatch(items: items, malformed: malformed, received: batch.count)
    }

    /// Decodes one message (tests, fixtures). Nil for an invocation stream message that is not a
    /// wRPC invocation subject.
    public mutating func decode<M: SpyMessageSource>(_ message: M, from stream: Stream) -> SpyInbound? {
        decode([message], from: stream).items.first
    }

    private func invocation<M: SpyMessageSource>(_ m: M, site: SpyCallSite, time: Date) -> SpyInbound {
        let reply = m.reply
        let trace = m.header(WRPCHeaders.traceparentKey)
        let bytes = m.withPayload { payload in
            SpyMessageBytes(subject: nil, reply: reply, traceparent: trace,
                            payload: UnsafeRawBufferPointer(rebasing: payload.prefix(previewBytes)))
        }
        return SpyInbound(
            origin: .invocation(site), reply: reply, statusCode: 0, size: m.payloadCount, bytes: bytes,
            receivedAt: m.receivedAt, time: time, raw: keepRaw ? m : nil)
    }

    private func inbox<M: SpyMessageSource>(_ m: M, time: Date) -> SpyInbound {
        let subject = m.subject
        let reply = m.reply
        let status = m.header(natsStatusHeader).flatMap { UInt16($0.prefix(3)) } ?? 0
        let bytes = m.withPayload { payload in
            SpyMessageBytes(subject: subject, reply: reply, traceparent: nil,
                            payload: UnsafeRawBufferPointer(rebasing: payload.prefix(previewBytes)))
        }
        return SpyInbound(
            origin: .inbox(subject: subject), reply: reply, statusCode: status, size: m.payloadCount, bytes: bytes, receivedAt: m.receivedAt, time: time,
            raw: keepRaw ? m : nil)
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
    private mutating func site<M: SpyMessageSource>(for m: M) -> SpyCallSite? {
        let key = SpyCallSite.Key(
            subject: m.subject, source: m.header(WRPCHeaders.sourceIDKey), targetID: m.header(WRPCHeaders.targetIDKey),
            rawLinkName: m.header(WRPCHeaders.linkNameKey))
        if let cached = sites[key] { return cached }
        guard let route = route(for: key.subject) else { return nil }
        let site = SpyCallSite(route: route, source: key.source, targetID: key.targetID, rawLinkName: key.rawLinkName)
        if sites.count >= Self.cacheLimit { sites.removeAll(keepingCapacity: true) }
        sites[key] = site
        return site
    }

    static func seconds(_ d: Duration) -> Double {
        let (s, atto) = d.components
        return Double(s) + Double(atto) * 1e-18
    }
}
