/// The per-message strings that differ on every call (own subject of a reply, reply subject,
/// traceparent) and the payload prefix, packed into ONE allocation. Lengths are stored, the
/// strings are made only when asked for.
struct SpyMessageBytes: Sendable, Hashable {
    private(set) var bytes: [UInt8]
    private var subjectLength: UInt16
    private var replyLength: UInt16
    private var traceLength: UInt8

    static let empty = SpyMessageBytes(bytes: [], subjectLength: 0, replyLength: 0, traceLength: 0)

    private init(bytes: [UInt8], subjectLength: UInt16, replyLength: UInt16, traceLength: UInt8) {
        self.bytes = bytes
        self.subjectLength = subjectLength
        self.replyLength = replyLength
        self.traceLength = traceLength
    }

    /// `subject` only for replies (an invocation's subject is its route's). Strings longer than
    /// the length fields allow (64 KiB subjects, 255-byte traceparents) are cut; NATS subjects
    /// and W3C traceparents are far shorter.
    init(subject: String?, reply: String?, traceparent: String?, payload: UnsafeRawBufferPointer) {
        let s = subject?.utf8.prefix(Int(UInt16.max))
        let r = reply?.utf8.prefix(Int(UInt16.max))
        let t = traceparent?.utf8.prefix(Int(UInt8.max))
        let total = (s?.count ?? 0) + (r?.count ?? 0) + (t?.count ?? 0) + payload.count
        var bytes: [UInt8] = []
        if total > 0 {
            bytes.reserveCapacity(total)
            if let s { bytes.append(contentsOf: s) }
            if let r { bytes.append(contentsOf: r) }
            if let t { bytes.append(contentsOf: t) }
            bytes.append(contentsOf: payload)
        }
        self.bytes = bytes
        subjectLength = UInt16(s?.count ?? 0)
        replyLength = UInt16(r?.count ?? 0)
        traceLength = UInt8(t?.count ?? 0)
    }

    init(subject: String?, reply: String?, traceparent: String?, payload: [UInt8]) {
        self = payload.withUnsafeBytes { SpyMessageBytes(subject: subject, reply: reply, traceparent: traceparent, payload: $0) }
    }

    private func string(_ start: Int, _ length: Int) -> String? {
        length == 0 ? nil : String(decoding: bytes[start..<(start + length)], as: UTF8.self)
    }

    var subject: String? { string(0, Int(subjectLength)) }
    var reply: String? { string(Int(subjectLength), Int(replyLength)) }
    var traceparent: String? { string(Int(subjectLength) + Int(replyLength), Int(traceLength)) }
    var payloadPrefix: ArraySlice<UInt8> {
        bytes[(Int(subjectLength) + Int(replyLength) + Int(traceLength))...]
    }
}
