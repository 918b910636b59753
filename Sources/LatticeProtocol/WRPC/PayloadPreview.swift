import Foundation

/// A bounded, honest rendering of message bytes: UTF-8 text when the bytes are valid UTF-8 and
/// printable, otherwise hex. Truncation is always stated (`isTruncated`, and the `summary`
/// suffix), never silent, and text is never cut inside a character.
public struct PayloadPreview: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case empty
        case text
        case hex
    }

    public var kind: Kind
    /// The rendered part: text, or lowercase hex byte pairs separated by spaces.
    public var rendered: String
    public var totalBytes: Int
    /// How many of `totalBytes` `rendered` covers.
    public var shownBytes: Int

    public init(kind: Kind, rendered: String, totalBytes: Int, shownBytes: Int) {
        self.kind = kind
        self.rendered = rendered
        self.totalBytes = totalBytes
        self.shownBytes = shownBytes
    }

    public var isTruncated: Bool { shownBytes < totalBytes }

    /// `rendered` plus a note when bytes were left out, e.g. `… (+1200 bytes)`; a marker for
    /// hex so it cannot be mistaken for text.
    public var summary: String {
        switch kind {
        case .empty: return "(empty)"
        case .text: return rendered + truncationNote
        case .hex: return "hex: " + rendered + truncationNote
        }
    }

    private var truncationNote: String {
        isTruncated ? " … (+\(totalBytes - shownBytes) bytes)" : ""
    }

    /// Renders at most `maxBytes` bytes of `data`.
    public static func make(_ data: Data, maxBytes: Int = 256) -> PayloadPreview {
        let limit = max(0, maxBytes)
        let bytes = [UInt8](data)
        guard !bytes.isEmpty else { return PayloadPreview(kind: .empty, rendered: "", totalBytes: 0, shownBytes: 0) }
        if let text = text(bytes[...], maxBytes: limit) { return text }
        let shown = min(limit, bytes.count)
        return PayloadPreview(kind: .hex, rendered: hex(bytes[..<shown]), totalBytes: bytes.count, shownBytes: shown)
    }

    /// The text preview of `bytes` (at most `maxBytes` of them, whole characters), or nil when they
    /// are not printable UTF-8 — without rendering anything else (the spy's hot path asks this).
    public static func text(_ bytes: ArraySlice<UInt8>, maxBytes: Int) -> PayloadPreview? {
        guard let text = String(validating: bytes, as: UTF8.self), isPrintable(text) else { return nil }
        var shown = 0
        var rendered = ""
        for character in text {
            let size = character.utf8.count
            if shown + size > maxBytes { break }
            rendered.append(character)
            shown += size
        }
        return PayloadPreview(kind: .text, rendered: rendered, totalBytes: bytes.count, shownBytes: shown)
    }

    /// Lowercase hex byte pairs separated by spaces, built byte by byte.
    public static func hex(_ bytes: ArraySlice<UInt8>) -> String {
        let digits: StaticString = "0123456789abcdef"
        return digits.withUTF8Buffer { digits in
            String(unsafeUninitializedCapacity: max(0, bytes.count * 3 - 1)) { out in
                var i = 0
                for b in bytes {
                    if i > 0 {
                        out[i] = 0x20
                        i += 1
                    }
                    out[i] = digits[Int(b >> 4)]
                    out[i + 1] = digits[Int(b & 0xF)]
                    i += 2
                }
                return i
            }
        }
    }

    /// Printable: no control characters other than tab, newline and carriage return (this also
    /// excludes ESC, so terminal escape sequences never pass as text).
    static func isPrintable(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: return true
            case 0x00...0x1F, 0x7F...0x9F: return false
            default:
                return scalar.properties.generalCategory != .format || scalar.value == 0x200D
            }
        }
    }
}
