import Foundation
import NATSKit

/// A received message's wire fields as bytes in place: what the decoder reads on the hot path,
/// without a `String` or `Data` per message.
public struct SpyWireBytes {
    public var subject: UnsafeRawBufferPointer
    /// Empty when the message has no reply subject.
    public var reply: UnsafeRawBufferPointer
    /// The NATS header block (`NATS/1.0[ status]\r\nKey: value\r\n…\r\n`), empty without headers.
    public var headers: UnsafeRawBufferPointer
    public var payload: UnsafeRawBufferPointer
}

extension SpyMessageSource {
    /// The generic path (fixtures, tests, replays): the headers are encoded as NATS sends them.
    public func withWireBytes<R>(_ body: (SpyWireBytes) -> R) -> R {
        var subject = self.subject
        var reply = self.reply ?? ""
        var block = Self.encodeHeaders(headers)
        return subject.withUTF8 { s in
            reply.withUTF8 { r in
                block.withUTF8 { h in
                    withPayload { p in
                        body(SpyWireBytes(subject: UnsafeRawBufferPointer(s), reply: UnsafeRawBufferPointer(r),
                                          headers: UnsafeRawBufferPointer(h), payload: p))
                    }
                }
            }
        }
    }

    /// `headers` as a NATS header block (keys sorted; a `Status` header becomes the status line,
    /// as cnats reports an inline status).
    static func encodeHeaders(_ headers: [String: [String]]) -> String {
        guard !headers.isEmpty else { return "" }
        var block = "NATS/1.0"
        if let status = headers[natsStatusHeader]?.first { block += " " + status }
        block += "\r\n"
        for key in headers.keys.sorted() where key != natsStatusHeader {
            for value in headers[key] ?? [] {
                block += key + ": " + value.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ") + "\r\n"
            }
        }
        return block + "\r\n"
    }
}

extension NATSMessage {
    /// In place from cnats' message; the header block is re-encoded only when cnats has already
    /// parsed it (someone read the headers as strings before the spy did).
    public func withWireBytes<R>(_ body: (SpyWireBytes) -> R) -> R {
        withSubjectBytes { s in
            withReplyBytes { r in
                withRawHeaders { h in
                    withPayload { p in
                        if let h { return body(SpyWireBytes(subject: s, reply: r, headers: h, payload: p)) }
                        var block = Self.encodeHeaders(headers)
                        return block.withUTF8 { b in
                            body(SpyWireBytes(subject: s, reply: r, headers: UnsafeRawBufferPointer(b), payload: p))
                        }
                    }
                }
            }
        }
    }
}

/// The wRPC headers of a header block, as byte ranges into it (first value of each key, exact
/// key match, values trimmed: what cnats' `natsMsgHeader_Get` returns).
struct SpyHeaderFields {
    var sourceID: Range<Int>?
    var targetID: Range<Int>?
    var linkName: Range<Int>?
    var traceparent: Range<Int>?
    /// The inline status of the first line (`NATS/1.0 503`), else a `Status` header.
    var status: UInt16 = 0

    /// Nil when the block is not one this parser reads exactly like cnats (folded lines, a line
    /// without a colon): the caller then asks the message's own header API.
    init?(_ block: UnsafeRawBufferPointer) {
        let n = block.count
        guard n > 0 else { return }
        guard n >= 10, let base = block.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        // Status line: "NATS/1.0" [spaces] [3-digit status] [description] CRLF
        var i = 8
        while i < n && base[i] == 0x20 { i += 1 }
        var lineEnd = i
        while lineEnd + 1 < n && !(base[lineEnd] == 0x0D && base[lineEnd + 1] == 0x0A) { lineEnd += 1 }
        guard lineEnd + 1 < n else { return nil }
        var statusFromLine = false
        if lineEnd - i >= 3, let code = Self.threeDigits(base + i) {
            status = code
            statusFromLine = true
        }
        i = lineEnd + 2
        var statusHeader: UInt16?
        while i < n {
            if base[i] == 0x0D { break }                       // blank line: end of the block
            if base[i] == 0x20 || base[i] == 0x09 { return nil }  // folded line
            var colon = i
            while colon < n && base[colon] != 0x3A && base[colon] != 0x0D { colon += 1 }
            guard colon < n, base[colon] == 0x3A else { return nil }
            var v = colon + 1
            var end = v
            while end + 1 < n && !(base[end] == 0x0D && base[end + 1] == 0x0A) { end += 1 }
            guard end + 1 < n else { return nil }
            let next = end + 2
            while v < end && Self.isSpace(base[v]) { v += 1 }
            while end > v && Self.isSpace(base[end - 1]) { end -= 1 }
            // An empty value ("link-name:") is kept as empty: the spy shows what was sent
            // (cnats' own reader calls it "no value found").
            let key = UnsafeRawBufferPointer(start: base + i, count: colon - i)
            let value = v..<end
            switch key.count {
            case 9:
                if sourceID == nil && key.elementsEqual(Self.sourceKey) { sourceID = value }
                else if targetID == nil && key.elementsEqual(Self.targetKey) { targetID = value }
                else if linkName == nil && key.elementsEqual(Self.linkKey) { linkName = value }
            case 11:
                if traceparent == nil && key.elementsEqual(Self.traceKey) { traceparent = value }
            case 6:
                if statusHeader == nil && key.elementsEqual(Self.statusKey) {
                    statusHeader = end - v >= 3 ? Self.threeDigits(base + v) ?? 0 : 0
                }
            default: break
            }
            i = next
        }
        if !statusFromLine, let statusHeader { status = statusHeader }
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A || b == 0x0B || b == 0x0C }

    private static func threeDigits(_ p: UnsafePointer<UInt8>) -> UInt16? {
        var v: UInt16 = 0
        for k in 0..<3 {
            let d = p[k] &- 0x30
            guard d < 10 else { return nil }
            v = v * 10 + UInt16(d)
        }
        return v
    }

    static let sourceKey = Array("source-id".utf8)
    static let targetKey = Array("target-id".utf8)
    static let linkKey = Array("link-name".utf8)
    static let traceKey = Array("traceparent".utf8)
    static let statusKey = Array("Status".utf8)
}

/// A fast 64-bit hash of bytes (8 at a time), for the decoder's and the pairing tables.
enum SpyByteHash {
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> UInt64 {
        var h = seed ^ UInt64(bytes.count)
        guard let base = bytes.baseAddress else { return mix(h) }
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            h = mix(h ^ base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        if i < n {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                tail |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) << shift
                shift += 8
                i += 1
            }
            h = mix(h ^ tail)
        }
        return h
    }

    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &* 0xBF58_476D_1CE4_E5B9
        z ^= z >> 31
        z = z &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 29)
    }

    @inline(__always)
    static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard a.count > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return true }
        return memcmp(pa, pb, a.count) == 0
    }
}
