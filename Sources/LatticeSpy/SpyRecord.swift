import Foundation
import LatticeProtocol

/// One NDJSON line: a message's decoded fields (saved files, `latticetop spy -o jsonl`). The
/// payload is there in full (`payload_base64`) when it was still kept, otherwise its kept prefix
/// (`payload_prefix_base64`) with `truncated: true`; nothing is silently cut.
public struct SpyRecord: Codable, Sendable, Hashable {
    /// `message` for a captured message, `call` for a finished call (the invocation again, with
    /// outcome and latencies).
    public var event: String
    public var sequence: UInt64
    /// Sequence of the call's invocation.
    public var call: UInt64
    /// RFC 3339, microseconds, UTC.
    public var time: String
    public var kind: SpyMessageKind
    public var subject: String
    public var reply: String?
    public var lattice: String
    public var target: String
    public var instance: String
    public var function: String
    public var source: String?
    public var targetID: String?
    public var linkName: String?
    public var traceparent: String?
    public var size: Int
    public var preview: String
    public var previewKind: PayloadPreview.Kind
    /// Bytes of the payload the preview covers.
    public var previewBytes: Int
    /// True when the record does not hold the whole payload.
    public var truncated: Bool
    public var attribution: SpyAttribution
    public var outcome: SpyOutcome
    public var status: Int?
    public var handshakeMs: Double?
    public var resultsMs: Double?
    /// Every header of the message itself, when it was still kept.
    public var headers: [String: [String]]?
    public var payloadBase64: String?
    public var payloadPrefixBase64: String?

    enum CodingKeys: String, CodingKey {
        case event, sequence = "seq", call, time, kind, subject, reply, lattice, target, instance, function, source
        case targetID = "target_id", linkName = "link_name", traceparent, size, preview
        case previewKind = "preview_kind", previewBytes = "preview_bytes", truncated, attribution, outcome, status
        case handshakeMs = "handshake_ms", resultsMs = "results_ms", headers
        case payloadBase64 = "payload_base64", payloadPrefixBase64 = "payload_prefix_base64"
    }

    public init(_ message: SpyMessage, detail: SpyMessageDetail? = nil, event: String = "message") {
        let preview = message.preview
        self.event = event
        sequence = message.sequence
        call = message.callSequence
        time = RFC3339.format(message.time, fractionalDigits: 6)
        kind = message.kind
        subject = message.subject
        reply = message.reply
        lattice = message.lattice
        target = message.target
        instance = message.instance
        function = message.function
        source = message.source
        targetID = message.targetID
        linkName = message.rawLinkName
        traceparent = message.traceparent
        size = message.size
        self.preview = preview.rendered
        previewKind = preview.kind
        previewBytes = preview.shownBytes
        attribution = message.attribution
        outcome = message.outcome
        status = message.status
        handshakeMs = message.handshakeLatency.map(Self.milliseconds)
        resultsMs = message.resultsLatency.map(Self.milliseconds)
        if let detail, detail.payload.count == message.size {
            headers = detail.headers
            payloadBase64 = detail.payload.base64EncodedString()
            truncated = false
        } else {
            headers = detail?.headers
            let prefix = message.payloadPrefix
            payloadPrefixBase64 = prefix.isEmpty ? nil : Data(prefix).base64EncodedString()
            truncated = prefix.count < message.size
        }
    }

    /// The payload bytes this record holds (all of them unless `truncated`).
    public var payload: Data {
        if let full = payloadBase64.flatMap({ Data(base64Encoded: $0) }) { return full }
        return payloadPrefixBase64.flatMap { Data(base64Encoded: $0) } ?? Data()
    }

    static func milliseconds(_ d: Duration) -> Double {
        let (s, atto) = d.components
        let ms = Double(s) * 1000 + Double(atto) / 1e15
        return (ms * 1000).rounded() / 1000
    }
}
