/// JSON written byte by byte into one reusable buffer, for the hot line outputs (`spy -o jsonl`):
/// no `JSONEncoder`, no intermediate `String` per line. Its output is exactly what
/// `JSONEncoder` (`.sortedKeys`, `.withoutEscapingSlashes`) followed by `SafeText.sanitize` of the
/// whole line gives — the golden tests compare the two over random records — because escaping
/// and sanitising happen together, once, per string value:
/// - `"` and `\` are escaped, C0 controls become `\b \t \n \f \r` or `\u00xx` (JSON's rules);
/// - an all-ASCII value with nothing to escape (nearly every value) is copied as it is;
/// - a value with other bytes gets the JSON escapes and then `SafeText`'s placeholders for what a
///   terminal must not see (DEL, C1 controls, bidi and zero-width characters). Sanitising a value
///   after its opening quote equals sanitising the whole line: the characters around a value are
///   ASCII, which start graphemes of their own, and an ASCII-led grapheme never keeps an emoji
///   joiner.
/// Keys are written as given: callers write them in `JSONEncoder`'s order (`sortedKeys`).
struct JSONLineWriter {
    private(set) var bytes: [UInt8] = []
    /// Whether the next member of the open object needs a comma before it.
    private var needsComma = false

    init(capacity: Int = 1 << 16) {
        bytes.reserveCapacity(capacity)
    }

    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        needsComma = false
    }

    mutating func beginObject() { open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    private mutating func open(_ bracket: UInt8) {
        bytes.append(bracket)
        needsComma = false
    }

    private mutating func close(_ bracket: UInt8) {
        bytes.append(bracket)
        needsComma = true
    }

    /// Keys in the order `JSONEncoder`'s `.sortedKeys` writes them: by their UTF-8 bytes as they
    /// are (not by `String`'s `<`, which compares canonically equivalent text as equal).
    static func sortedKeys<S: Sequence<String>>(_ keys: S) -> [String] {
        keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Text as it is (already sanitised), for the text lines sharing this buffer.
    mutating func text(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    mutating func newline() {
        bytes.append(0x0A)
        needsComma = false
    }

    /// `"name":` (with a comma before it when it is not the object's first member).
    mutating func key(_ name: StaticString) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = true
    }

    /// `"name":` for a key only known at run time (escaped and sanitised like a value).
    mutating func key(_ name: String) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        string(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = true
    }

    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            if utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
                bytes.append(contentsOf: utf8)
            } else {
                appendEscaped(utf8)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func int<T: BinaryInteger>(_ value: T) {
        // Decimal digits without a String: the common small values in a few steps.
        if value == 0 {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        var magnitude = value.magnitude
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        let start = bytes.count
        while magnitude > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10))
            magnitude /= 10
        }
        bytes[start...].reverse()
    }

    /// As `JSONEncoder` writes a `Double`: its shortest description, without a trailing `.0`.
    mutating func double(_ value: Double) {
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    mutating func bool(_ value: Bool) {
        bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
    }

    /// A string element of an open array.
    mutating func element(_ value: String) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        string(value)
        needsComma = true
    }

    /// JSON escapes; when bytes beyond ASCII remain, `SafeText`'s placeholders on the escaped text.
    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        var escaped: [UInt8] = []
        escaped.reserveCapacity(utf8.count + 8)
        var beyondASCII = false
        for b in utf8 {
            switch b {
            case UInt8(ascii: "\""): escaped += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): escaped += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x08: escaped += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x09: escaped += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x0A: escaped += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0C: escaped += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0x0D: escaped += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0..<0x20:
                escaped += Array("\\u00".utf8)
                escaped.append(Self.hex[Int(b >> 4)])
                escaped.append(Self.hex[Int(b & 0xF)])
            default:
                if b >= 0x7F { beyondASCII = true }
                escaped.append(b)
            }
        }
        if beyondASCII {
            // With the opening quote before it, as in the line: a leading combining mark or emoji
            // modifier joins the quote's grapheme there (which keeps no emoji joiner).
            let sanitized = SafeText.sanitize("\"" + String(decoding: escaped, as: UTF8.self))
            bytes.append(contentsOf: sanitized.utf8.dropFirst())
        } else {
            bytes.append(contentsOf: escaped)
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)
}
