import Foundation
import LatticeProtocol

/// Turns received messages into compact `SpyInbound`s, a whole batch at a time. One decoder per
/// consumer (it is not shared, so it needs no lock): it caches parsed subjects and interns the
/// header strings, so that equal strings share one storage in the ring. Both caches are
/// bounded (cleared when full).
public struct SpyDecoder {
    /// Which subscription a batch came from.
    public enum Stream: Sendable {
        case invocations
        case inboxes
    }

    let previewBytes: Int
    let keepRaw: Bool
    private var routes: [String: SpyRoute] = [:]
    private var strings: [String: String] = [:]
    static let cacheLimit = 4096

    public init(configuration: SpyConfiguration = SpyConfiguration()) {
        previewBytes = configuration.previewBytes
        keepRaw = configuration.rawTailMessages > 0
    }

    public mutating func decode<M: SpyMessageSource>(_ batch: [M], from stream: Stream) -> SpyDecodedBatch {
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
                let subject = message.subject
                guard let route = route(for: subject) else {
                    malformed += 1
                    continue
                }
                items.append(invocation(message, route: route, time: time))
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

    private mutating func invocation<M: SpyMessageSource>(_ m: M, route: SpyRoute, time: Date) -> SpyInbound {
        let reply = m.reply
        let trace = m.header(WRPCHeaders.traceparentKey)
        let bytes = m.withPayload { payload in
            SpyMessageBytes(subject: nil, reply: reply, traceparent: trace,
                            payload: UnsafeRawBufferPointer(rebasing: payload.prefix(previewBytes)))
        }
        return SpyInbound(
            origin: .invocation(route), reply: reply,
            source: intern(m.header(WRPCHeaders.sourceIDKey)), targetID: intern(m.header(WRPCHeaders.targetIDKey)),
            linkName: intern(m.header(WRPCHeaders.linkNameKey)), statusCode: 0, size: m.payloadCount, bytes: bytes,
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
            origin: .inbox(subject: subject), reply: reply, source: nil, targetID: nil, linkName: nil,
            statusCode: status, size: m.payloadCount, bytes: bytes, receivedAt: m.receivedAt, time: time,
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

    private mutating func intern(_ value: String?) -> String? {
        guard let value else { return nil }
        if let shared = strings[value] { return shared }
        if strings.count >= Self.cacheLimit { strings.removeAll(keepingCapacity: true) }
        strings[value] = value
        return value
    }

    static func seconds(_ d: Duration) -> Double {
        let (s, atto) = d.components
        return Double(s) + Double(atto) * 1e-18
    }
}
