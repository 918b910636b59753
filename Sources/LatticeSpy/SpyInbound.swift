import Foundation

/// A decoded message not yet placed: the decoder's output, the capture's input.
public struct SpyInbound: Sendable {
    enum Origin: Sendable {
        /// Received on an invocation subject.
        case invocation(SpyCallSite)
        /// Received on an inbox subject (a possible reply); classified when paired.
        case inbox(subject: String)
    }

    var origin: Origin
    var reply: String?
    var statusCode: UInt16
    var size: Int
    var bytes: SpyMessageBytes
    var receivedAt: ContinuousClock.Instant
    var time: Date
    /// The received message, kept while it is among the most recent (full payload, all headers).
    var raw: (any SpyMessageSource)?
}

/// One batch of decoded messages and what could not be decoded.
public struct SpyDecodedBatch: Sendable {
    var items: [SpyInbound]
    /// Messages on invocation subscriptions whose subject is not a wRPC invocation subject.
    public var malformed: Int
    /// Messages read from the subscriptions (decoded or not).
    public var received: Int

    public var count: Int { items.count }
}
