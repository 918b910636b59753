import Foundation

/// Where a decoded message's bytes lie in a buffer: its own subject (replies only), reply
/// subject, traceparent and payload prefix, one after the other from `offset`.
struct SpyByteSpan: Sendable {
    var offset: Int
    var subjectLength: UInt16
    var replyLength: UInt16
    var payloadLength: UInt16
    var traceLength: UInt8

    var total: Int { Int(subjectLength) + Int(replyLength) + Int(traceLength) + Int(payloadLength) }
    var subject: Range<Int> { offset..<(offset + Int(subjectLength)) }
    var reply: Range<Int> { subject.upperBound..<(subject.upperBound + Int(replyLength)) }
    /// Reply, traceparent and payload prefix: what an invocation keeps.
    var afterSubject: Range<Int> { subject.upperBound..<(offset + total) }
    var all: Range<Int> { offset..<(offset + total) }
}

/// A decoded message not yet placed: the decoder's output, the capture's input. Its bytes are
/// in the batch's buffer (`SpyDecodedBatch.bytes`).
public struct SpyInbound: Sendable {
    enum Origin: Sendable {
        /// Received on an invocation subject.
        case invocation(SpyCallSite)
        /// Received on an inbox subject (a possible reply); classified when paired.
        case inbox
    }

    var origin: Origin
    var span: SpyByteSpan
    var statusCode: UInt16
    /// The reply subject is under a subscribed inbox prefix (its replies can be seen).
    var observed: Bool
    var size: Int
    var receivedAt: ContinuousClock.Instant
    var time: Date
    /// The received message, kept while it is among the most recent (full payload, all headers).
    var raw: (any SpyMessageSource)?
}

/// One batch of decoded messages and what could not be decoded.
public struct SpyDecodedBatch: Sendable {
    var items: [SpyInbound]
    /// The bytes every item's span points into.
    var bytes: [UInt8]
    /// Messages on invocation subscriptions whose subject is not a wRPC invocation subject.
    public var malformed: Int
    /// Messages read from the subscriptions (decoded or not).
    public var received: Int

    public var count: Int { items.count }
}
