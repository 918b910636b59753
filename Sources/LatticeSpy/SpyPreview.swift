import Foundation
import LatticeProtocol

/// Builds a `PayloadPreview` from the kept prefix of a payload and its total size: text when the
/// prefix is printable UTF-8 (a character cut at the end of the prefix is left out), hex
/// otherwise; `shownBytes < totalBytes` whenever bytes were left out.
enum SpyPreview {
    static func make(prefix: ArraySlice<UInt8>, totalBytes: Int) -> PayloadPreview {
        guard totalBytes > 0 else { return PayloadPreview(kind: .empty, rendered: "", totalBytes: 0, shownBytes: 0) }
        let truncated = prefix.count < totalBytes
        var text = prefix
        if truncated { text = dropIncompleteTail(text) }
        if !text.isEmpty, let asText = PayloadPreview.text(text, maxBytes: text.count) {
            return PayloadPreview(kind: .text, rendered: asText.rendered, totalBytes: totalBytes, shownBytes: asText.shownBytes)
        }
        return PayloadPreview(kind: .hex, rendered: PayloadPreview.hex(prefix), totalBytes: totalBytes, shownBytes: prefix.count)
    }

    /// Removes a UTF-8 sequence cut short at the end (at most 3 bytes).
    static func dropIncompleteTail(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var i = bytes.endIndex
        var back = 0
        while i > bytes.startIndex && back < 4 {
            i -= 1
            back += 1
            let b = bytes[i]
            if b & 0xC0 == 0x80 { continue }          // continuation byte: keep looking for the lead
            let need = b & 0x80 == 0 ? 1 : b & 0xE0 == 0xC0 ? 2 : b & 0xF0 == 0xE0 ? 3 : b & 0xF8 == 0xF0 ? 4 : 1
            return back < need ? bytes[bytes.startIndex..<i] : bytes
        }
        return bytes
    }
}
