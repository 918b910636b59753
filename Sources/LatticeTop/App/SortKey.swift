/// The value a column sorts by, typed: a duration, count or time sorts as a number (`59m` before
/// `1h2m`), text as text (case-insensitive, digits as numbers). Numbers come before text, so
/// rows without a value (`-`) go last. The order is that of `collationBytes` compared byte by
/// byte, so a sort of many rows compares bytes (`OrderKey`), not strings.
public enum SortKey: Sendable, Hashable, Comparable {
    case number(Double)
    case text(String)

    public static func < (a: SortKey, b: SortKey) -> Bool { a.collationBytes.lexicographicallyPrecedes(b.collationBytes) }

    public static func == (a: SortKey, b: SortKey) -> Bool { a.collationBytes == b.collationBytes }

    public func hash(into hasher: inout Hasher) { hasher.combine(collationBytes) }

    /// A count or age, `nil` (shown as `-`) sorting after every value.
    public static func number<T: BinaryInteger>(_ value: T?) -> SortKey { value.map { .number(Double($0)) } ?? .text("") }
    public static func number(_ value: Double?) -> SortKey { value.map { .number($0) } ?? .text("") }

    var collationBytes: [UInt8] {
        var sink = ByteSink()
        appendCollation(to: &sink)
        return sink.array
    }

    /// The key as bytes in its order: a number is `1` and its 8 bytes in order (always 9
    /// bytes); text is `2` and its text with letters lowercased and each run of digits as `0`,
    /// its length (without leading zeros) and the digits, so `a9` < `a10` < `b`. Text never
    /// holds a 0 byte, so a 0 after it ends it.
    func appendCollation(to sink: inout ByteSink) {
        switch self {
        case .number(let x):
            sink.reserve(9)
            sink.put(1)
            let value = x == 0 ? 0 : x  // -0 and 0 are one value
            let bits = value.sign == .minus ? ~value.bitPattern : value.bitPattern | (1 << 63)
            for shift in stride(from: 56, through: 0, by: -8) { sink.put(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
        case .text(let text):
            Self.appendCollation(text: text, to: &sink)
        }
    }

    /// `SortKey.text(text)`'s bytes (`appendCollation`), without making the key.
    static func appendCollation(text: String, to sink: inout ByteSink) {
        let start = sink.count
        let ascii = text.utf8.withContiguousStorageIfAvailable { collate($0, to: &sink) }
            ?? { var copy = text; return copy.withUTF8 { collate($0, to: &sink) } }()
        if !ascii {
            // Letters beyond ASCII lowercased by their own rules (the length may change).
            sink.truncate(to: start)
            var lowered = text.lowercased()
            _ = lowered.withUTF8 { collate($0, to: &sink, lowercased: true) }
        }
    }

    /// `SortKey.text`'s bytes for text given as UTF-8 with its ASCII letters lowercased
    /// (`PaneRow`'s filter text); false, with bytes left to drop, if it has others.
    static func appendCollation(asciiLowercased utf8: UnsafeBufferPointer<UInt8>, to sink: inout ByteSink) -> Bool {
        collate(utf8, to: &sink)
    }

    /// Writes `2` and `utf8` collated; false (and what it wrote is to be dropped) when the text
    /// has a byte beyond ASCII and is not `lowercased` yet.
    private static func collate(_ utf8: UnsafeBufferPointer<UInt8>, to sink: inout ByteSink, lowercased: Bool = false) -> Bool {
        // Each byte is written once, but a digit alone becomes three (`0`, length, digit).
        sink.reserve(1 + 3 * utf8.count)
        sink.put(2)
        var i = 0
        let n = utf8.count
        while i < n {
            let b = utf8[i]
            if b >= 0x30 && b <= 0x39 {
                var end = i, start = i
                while end < n && utf8[end] >= 0x30 && utf8[end] <= 0x39 { end += 1 }
                while start < end && utf8[start] == 0x30 { start += 1 }  // leading zeros
                sink.put(0x30)
                sink.put(UInt8(min(end - start, 254) + 1))
                sink.put(UnsafeBufferPointer(rebasing: utf8[start..<end]))
                i = end
            } else {
                if b >= 0x80 && !lowercased { return false }
                sink.put(b >= 0x41 && b <= 0x5A ? b | 0x20 : (b == 0 ? 1 : b))
                i += 1
            }
        }
        return true
    }
}
