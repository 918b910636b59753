import Foundation
import LatticeProtocol
import LatticeSpy
import Testing

/// Payloads a spy must show honestly and safely: invalid UTF-8, oversized, cut inside a
/// character, control and escape bytes, odd subjects and headers.
@Suite struct SpyHostilePayloadTests {
    static let subject = "default.comp.wrpc.0.0.1.wasi:keyvalue/store@0.2.0.get"

    func captured(_ payload: Data, previewBytes: Int = 64, headers: [String: String] = ["source-id": "caller"]) throws -> SpyMessage {
        let capture = SpyCapture(configuration: SpyConfiguration(previewBytes: previewBytes))
        capture.ingest([SpyWireMessage(subject: Self.subject, reply: "_INBOX.x.1", headers: headers, payload: payload)], from: .invocations)
        return try #require(capture.snapshot().messages.first)
    }

    @Test func invalidUTF8IsShownAsHexWithItsSize() throws {
        let m = try captured(Data([0x7B, 0x22, 0xC3, 0x28, 0xFF, 0xFE, 0x22, 0x7D]))
        #expect(m.preview.kind == .hex)
        #expect(m.preview.rendered == "7b 22 c3 28 ff fe 22 7d")
        #expect(m.size == 8)
        #expect(SpyTextFormat.line(m).contains("hex:7b 22 c3 28"))
    }

    @Test func oversizedPayloadKeepsOnlyThePreviewAndSaysSo() throws {
        let big = Data(repeating: UInt8(ascii: "a"), count: 8 << 20)
        let m = try captured(big, previewBytes: 64)
        #expect(m.size == 8 << 20)
        #expect(m.preview.kind == .text)
        #expect(m.preview.shownBytes == 64)
        #expect(m.preview.isTruncated)
        #expect(m.preview.summary.hasSuffix("(+\((8 << 20) - 64) bytes)"))
        #expect(SpyTextFormat.preview(m.preview).hasSuffix("…\""))
        let record = SpyRecord(m)
        #expect(record.truncated)
        #expect(record.size == 8 << 20)
    }

    @Test func characterCutByThePreviewLimitIsLeftOutNotMangled() throws {
        // "é" is 2 bytes, "😀" 4: a 7-byte prefix of "ab😀é…" ends inside the emoji's successor.
        let text = "ab😀é" + String(repeating: "z", count: 100)
        for limit in 1...9 {
            let m = try captured(Data(text.utf8), previewBytes: limit)
            #expect(m.preview.kind == .text, "limit \(limit)")
            #expect(text.hasPrefix(m.preview.rendered), "limit \(limit): \(m.preview.rendered)")
            #expect(m.preview.shownBytes == m.preview.rendered.utf8.count)
            #expect(m.preview.isTruncated)
        }
    }

    @Test func escapeAndControlBytesNeverPassAsText() throws {
        for payload in ["\u{1B}]0;owned\u{07}title", "\u{1B}[2J\u{1B}[H", "a\u{0}b", "bidi \u{202E}txet", "\u{9B}31m"] {
            let m = try captured(Data(payload.utf8))
            #expect(m.preview.kind == .hex, "\(payload.debugDescription)")
            let line = SpyTextFormat.line(m)
            #expect(!line.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0 == "\u{202E}" },
                    "\(line.debugDescription)")
        }
    }

    @Test func emptyAndHugeHeaderValuesAndOddSubjects() throws {
        let m = try captured(Data(), headers: ["source-id": String(repeating: "s", count: 100_000), "link-name": ""])
        #expect(m.preview.kind == .empty)
        #expect(m.source?.count == 100_000)
        #expect(m.rawLinkName == "")

        var decoder = SpyDecoder()
        let odd = ["", ".", "a.b.wrpc.0.0.1", "a.b.wrpc.0.0.1..f", "a..wrpc.0.0.1.i.f", "a.b.wrpc.0.0.2.i.f", String(repeating: ".", count: 10_000)]
        let batch = decoder.decode(odd.map { SpyWireMessage(subject: $0, payload: Data([0xFF])) }, from: .invocations)
        #expect(batch.malformed == odd.count, "not invocation subjects: counted as malformed")
        #expect(batch.count == 0)
    }
}
