import Foundation
import LatticeProtocol

/// One captured wRPC message, decoded compactly: shared route and header strings, a payload
/// prefix of at most `SpyConfiguration.previewBytes` plus the total size, and the per-call
/// strings packed in one buffer. The full payload is kept only for the most recent messages
/// (`SpyCapture.detail(sequence:)`).
public struct SpyMessage: Sendable {
    // Stored fields are ordered for packing (8-byte fields first): 16,384 of these sit in the ring.

    /// Position in the capture, increasing by one per kept message (also the ring index).
    public internal(set) var sequence: UInt64
    /// The sequence of the call's invocation (its own for an invocation). Replies are kept only
    /// when paired with a kept invocation.
    public internal(set) var callSequence: UInt64
    /// Wall-clock time the message reached the spy.
    public let time: Date
    /// The call's route and caller headers. Replies carry their call's, so that every row reads
    /// "source → target".
    public let site: SpyCallSite
    var handshakeNanos: Int64 = -1
    var resultsNanos: Int64 = -1
    let bytes: SpyMessageBytes
    private let size32: UInt32
    /// NATS status code on a handshake (503, 408 …), 0 when none.
    public internal(set) var statusCode: UInt16
    public let kind: SpyMessageKind
    public internal(set) var attribution: SpyAttribution
    /// For invocations: how the call ended (updated in place while the message is in the ring).
    /// For replies: the outcome that message brought.
    public internal(set) var outcome: SpyOutcome

    /// Payload size in bytes.
    public var size: Int { Int(size32) }

    init(
        sequence: UInt64, time: Date, kind: SpyMessageKind, site: SpyCallSite, size: Int, attribution: SpyAttribution, callSequence: UInt64, outcome: SpyOutcome,
        statusCode: UInt16, bytes: SpyMessageBytes
    ) {
        self.sequence = sequence
        self.time = time
        self.kind = kind
        self.site = site
        self.size32 = UInt32(clamping: size)
        self.attribution = attribution
        self.callSequence = callSequence
        self.outcome = outcome
        self.statusCode = statusCode
        self.bytes = bytes
    }

    /// The invocation subject of the call this message belongs to (its own for invocations).
    public var route: SpyRoute { site.route }
    /// `source-id` header of the call: the calling component or provider.
    public var source: String? { site.source }
    /// `target-id` header of the call (sent by providers).
    public var targetID: String? { site.targetID }
    /// `link-name` header of the call as sent (nil for providers and 1.0 hosts).
    public var rawLinkName: String? { site.rawLinkName }

    /// The message's own subject (an inbox subject for replies).
    public var subject: String { kind == .invocation ? route.subject : (bytes.subject ?? route.subject) }
    /// The reply subject it carried (caller inbox on invocations, server inbox on handshakes).
    public var reply: String? { bytes.reply }
    public var traceparent: String? { bytes.traceparent }

    public var lattice: String { route.lattice }
    /// The addressed component or provider.
    public var target: String { route.target }
    public var instance: String { route.instance }
    public var function: String { route.function }
    public var operation: String { route.operation }
    /// The link name, `default` when the header is absent (as the provider SDK reads it).
    public var linkName: String { rawLinkName ?? Link.defaultName }

    /// The call's wRPC headers, kept for every message (every header of the message itself, for
    /// the most recent ones: `SpyCapture.detail(sequence:)`).
    public var headers: WRPCHeaders {
        WRPCHeaders(sourceID: source, targetID: targetID, linkName: rawLinkName, traceparent: traceparent)
    }

    /// The kept payload bytes (at most `previewBytes`).
    public var payloadPrefix: [UInt8] { Array(bytes.payloadPrefix) }

    /// Printable text or hex of the kept prefix; says how many bytes were left out.
    public var preview: PayloadPreview { SpyPreview.make(prefix: bytes.payloadPrefix, totalBytes: size) }

    public var status: Int? { statusCode == 0 ? nil : Int(statusCode) }

    /// From the invocation to the handshake, both as the spy received them.
    public var handshakeLatency: Duration? { handshakeNanos < 0 ? nil : .nanoseconds(handshakeNanos) }
    /// From the invocation to the first results message.
    public var resultsLatency: Duration? { resultsNanos < 0 ? nil : .nanoseconds(resultsNanos) }
    /// The call's latency: results when known, else handshake.
    public var latency: Duration? { resultsLatency ?? handshakeLatency }
}
