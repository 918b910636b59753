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
        let sCount = min(subject?.utf8.count ?? 0, Int(UInt16.max))
        let rCount = min(reply?.utf8.count ?? 0, Int(UInt16.max))
        let tCount = min(traceparent?.utf8.count ?? 0, Int(UInt8.max))
        let total = sCount + rCount + tCount + payload.count
        bytes = total == 0 ? [] : [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
            let base = buffer.baseAddress!
            var at = 0
            func put(_ string: String?, _ count: Int) {
                guard count > 0, var text = string else { return }
                text.withUTF8 { utf8 in (base + at).initialize(from: utf8.baseAddress!, count: count) }
                at += count
            }
            put(subject, sCount)
            put(reply, rCount)
            put(traceparent, tCount)
            if let source = payload.baseAddress, payload.count > 0 {
                UnsafeMutableRawPointer(base + at).copyMemory(from: source, byteCount: payload.count)
            }
            initialized = total
        }
        subjectLength = UInt16(sCount)
        replyLength = UInt16(rCount)
        traceLength = UInt8(tCount)
    }

    /// A copy of `raw`: `subjectLength` bytes of subject, then reply, traceparent and payload prefix.
    init(copying raw: UnsafeRawBufferPointer, subjectLength: UInt16, replyLength: UInt16, traceLength: UInt8) {
        bytes = Array(raw)
        self.subjectLength = subjectLength
        self.replyLength = replyLength
        self.traceLength = traceLength
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
