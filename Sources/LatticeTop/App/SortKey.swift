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
        var bytes: [UInt8] = []
        appendCollation(to: &bytes)
        return bytes
    }

    /// The key as bytes in its order: a number is `1` and its 8 bytes in order (always 9
    /// bytes); text is `2` and its text with letters lowercased and each run of digits as `0`,
    /// its length (without leading zeros) and the digits, so `a9` < `a10` < `b`. Text never
    /// holds a 0 byte, so a 0 after it ends it.
    func appendCollation(to bytes: inout [UInt8]) {
        switch self {
        case .number(let x):
            bytes.append(1)
            let value = x == 0 ? 0 : x  // -0 and 0 are one value
            let bits = value.sign == .minus ? ~value.bitPattern : value.bitPattern | (1 << 63)
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
        case .text(let text):
            bytes.append(2)
            var source = text.utf8.contains { $0 >= 0x80 } ? text.lowercased() : text
            source.withUTF8 { utf8 in
                var i = 0
                while i < utf8.count {
                    // A run of bytes that stay as they are (no digit, capital or 0) at once.
                    var plain = i
                    while plain < utf8.count, utf8[plain] > 0x39 ? !(utf8[plain] >= 0x41 && utf8[plain] <= 0x5A) : (utf8[plain] < 0x30 && utf8[plain] != 0) {
                        plain += 1
                    }
                    if plain > i {
                        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[i..<plain]))
                        i = plain
                        continue
                    }
                    let b = utf8[i]
                    if b >= 0x30 && b <= 0x39 {
                        var end = i, start = i
                        while end < utf8.count && utf8[end] >= 0x30 && utf8[end] <= 0x39 { end += 1 }
                        while start < end && utf8[start] == 0x30 { start += 1 }  // leading zeros
                        bytes.append(0x30)
                        bytes.append(UInt8(min(end - start, 254) + 1))
                        bytes.append(contentsOf: utf8[start..<end])
                        i = end
                    } else {
                        bytes.append(b >= 0x41 && b <= 0x5A ? b + 0x20 : (b == 0 ? 1 : b))
                        i += 1
                    }
                }
            }
        }
    }
}
