import Foundation

/// A strict reader of JSON bytes for the decoders on the hot path (`HostReplyDecoder`): one pass
/// over the bytes, no intermediate tree. It reads RFC 8259 JSON and **declines** (returns nil or
/// false) whenever a message is not plainly what it expects — a syntax error, a number that is not
/// a small integer, an escape it does not take, a duplicate key, nesting deeper than `maxDepth` —
/// so the caller can hand that message to Foundation's `JSONDecoder`, which then decodes it or
/// says precisely why it cannot. Declining is never wrong, only slower; accepting must give what
/// `JSONDecoder` gives.
///
/// The bytes must be valid UTF-8 (checked by the caller, as `WireJSON.decode` does).
struct JSONScanner {
    let bytes: UnsafeRawBufferPointer
    private(set) var index = 0
    /// The keys of the objects being read, innermost last (one buffer for all, for duplicates).
    private var keys: [String] = []
    /// The pairs of the string map being read (`stringMap`; one buffer for all).
    private var pairs: [(String, String)] = []
    /// Where `stringMap` finds the maps read before (by their text) and keeps the ones it reads.
    let maps: StringMapInterner
    /// Deeper nesting than this (in skipped values) is declined.
    static let maxDepth = 32

    init(_ bytes: UnsafeRawBufferPointer, maps: StringMapInterner = .shared) {
        self.bytes = bytes
        self.maps = maps
    }

    /// A scanner that reads `bytes` from `index` on (a value found, and skipped, earlier).
    init(_ bytes: UnsafeRawBufferPointer, at index: Int, maps: StringMapInterner = .shared) {
        self.bytes = bytes
        self.index = index
        self.maps = maps
    }

    // MARK: - Structure

    /// The next byte after whitespace (not consumed), nil at the end.
    mutating func peek() -> UInt8? {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return bytes[index]
            }
        }
        return nil
    }

    /// Consumes `byte` (after whitespace) if it is next.
    mutating func take(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        index += 1
        return true
    }

    /// True when only whitespace is left.
    mutating func atEnd() -> Bool { peek() == nil }

    /// Reads an object: `member` is called with each key, the scanner before its value, and must
    /// read or skip that value (false: decline). Keys must be ASCII without escapes and must not
    /// repeat (`JSONDecoder` matches keys as Swift strings, with Unicode equivalence: a key
    /// spelled otherwise is left to it).
    mutating func object(_ member: (inout JSONScanner, String) -> Bool) -> Bool {
        guard take(UInt8(ascii: "{")) else { return false }
        if take(UInt8(ascii: "}")) { return true }
        let base = keys.count
        repeat {
            guard let key = asciiKey(), !keys[base...].contains(key), take(UInt8(ascii: ":")) else { return false }
            keys.append(key)
            guard member(&self, key) else { return false }
        } while take(UInt8(ascii: ","))
        keys.removeSubrange(base...)
        return take(UInt8(ascii: "}"))
    }

    /// Reads an array, calling `element` before each element (which it must read; false: decline).
    mutating func array(_ element: (inout JSONScanner) -> Bool) -> Bool {
        guard take(UInt8(ascii: "[")) else { return false }
        if take(UInt8(ascii: "]")) { return true }
        repeat {
            guard element(&self) else { return false }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]"))
    }

    /// Consumes `null` if it is next.
    mutating func null() -> Bool {
        literal("null")
    }

    // MARK: - Values

    mutating func bool() -> Bool? {
        if literal("true") { return true }
        if literal("false") { return false }
        return nil
    }

    /// A string value, escapes resolved.
    mutating func string() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        // Plain run: no escapes, the common case.
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { return nil }
            index += 1
        }
        var utf8 = Array(bytes[start..<index])
        while index < bytes.count {
            let b = bytes[index]
            index += 1
            switch b {
            case UInt8(ascii: "\""):
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard escape(into: &utf8) else { return nil }
            case 0..<0x20:
                return nil
            default:
                utf8.append(b)
            }
        }
        return nil
    }

    /// `string()` passed through `StringInterner.shared`: a plain string (no escapes, the common
    /// case) is looked up by its bytes, so a string kept already is not made again.
    mutating func internedString() -> String? {
        guard peek() == UInt8(ascii: "\"") else { return nil }
        let start = index + 1
        var end = start
        while end < bytes.count {
            let b = bytes[end]
            if b == UInt8(ascii: "\"") {
                index = end + 1
                return StringInterner.shared.intern(utf8: UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
            }
            if b == UInt8(ascii: "\\") || b < 0x20 { break }
            end += 1
        }
        return string().map { StringInterner.shared.intern($0) }
    }

    /// Skips a string, declining exactly what `string()` declines, without making it (a skipped
    /// heartbeat `data` holds hundreds of strings).
    mutating func skipString() -> Bool {
        guard take(UInt8(ascii: "\"")) else { return false }
        var scratch: [UInt8] = []
        while index < bytes.count {
            let b = bytes[index]
            index += 1
            switch b {
            case UInt8(ascii: "\""):
                return true
            case UInt8(ascii: "\\"):
                guard escape(into: &scratch) else { return false }
                scratch.removeAll(keepingCapacity: true)
            case 0..<0x20:
                return false
            default:
                continue
            }
        }
        return false
    }

    /// A `{"key": "value", …}` of strings (keys may be escaped: they are data, not field names);
    /// a repeated key (as a Swift dictionary compares keys) or a value not a string is declined.
    /// A map whose text (its bytes from `{` to `}`) was read before is the map kept then
    /// (`maps`, a `StringMapInterner`): every replica of a component has the same annotations,
    /// many hosts the same labels. Otherwise it is read (`readStringMap`) and offered to `maps`.
    mutating func stringMap() -> [String: String]? {
        guard peek() == UInt8(ascii: "{") else { return nil }
        guard let end = objectEnd(within: maps.maxBytes), end - index > 1 else { return readStringMap() }
        let text = UnsafeRawBufferPointer(rebasing: bytes[index...end])
        let hash = StringMapInterner.hash(text)
        if let kept = maps.lookup(text, hash: hash) {
            index = end + 1
            return kept
        }
        guard let map = readStringMap() else { return nil }
        if index == end + 1 { maps.keep(map, utf8: text, hash: hash) }
        return map
    }

    /// Where the object starting at `index` ends (its `}`), if it holds no object or array and
    /// takes at most `limit` bytes; nil otherwise. Only finds the end: whether it is a string map
    /// is for `readStringMap` to say (a map found kept was one). A string's closing quote is the
    /// next quote after an even run of backslashes, found with `memchr` (most of a map's bytes are
    /// in its strings).
    private func objectEnd(within limit: Int) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let stop = min(bytes.count, index + limit)
        var i = index + 1
        while i < stop {
            switch bytes[i] {
            case UInt8(ascii: "\""):
                var from = i + 1
                while true {
                    guard from < stop, let found = memchr(base + from, Int32(UInt8(ascii: "\"")), stop - from) else { return nil }
                    let quote = base.distance(to: UnsafeRawPointer(found))
                    var k = quote - 1
                    while bytes[k] == UInt8(ascii: "\\") { k -= 1 } // stops at the opening quote at the latest
                    if (quote - 1 - k) % 2 == 0 {
                        i = quote
                        break
                    }
                    from = quote + 1
                }
            case UInt8(ascii: "}"): return i
            case UInt8(ascii: "{"), UInt8(ascii: "["): return nil
            default: break
            }
            i += 1
        }
        return nil
    }

    /// `stringMap()` read from its bytes. The keys (annotation and label keys, repeated by every
    /// component and host) are the `StringInterner.shared` copies. The pairs are read first and
    /// the map made at its size (the table it would have grown to one pair at a time, without the
    /// steps in between: a component's four wadm annotations cost three tables and two rehashes
    /// that way).
    private mutating func readStringMap() -> [String: String]? {
        guard take(UInt8(ascii: "{")) else { return nil }
        if take(UInt8(ascii: "}")) { return [:] }
        pairs.removeAll(keepingCapacity: true)
        repeat {
            guard let key = internedString(), take(UInt8(ascii: ":")),
                  let value = string() else { return nil }
            pairs.append((key, value))
        } while take(UInt8(ascii: ","))
        guard take(UInt8(ascii: "}")) else { return nil }
        var map = [String: String](minimumCapacity: pairs.count)
        for (key, value) in pairs {
            guard map.updateValue(value, forKey: key) == nil else { return nil }
        }
        return map
    }

    /// An integer in `range`, written as JSON integers are (no fraction, no exponent; `-0` declined).
    mutating func integer<T: FixedWidthInteger>(_: T.Type) -> T? {
        guard peek() != nil else { return nil }
        let negative = bytes[index] == UInt8(ascii: "-")
        var i = negative ? index + 1 : index
        guard i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) else { return nil }
        let first = i
        var value: T = 0
        while i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) {
            let digit = T(bytes[i] - UInt8(ascii: "0"))
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
            guard !o1, !o2 else { return nil }
            value = next
            i += 1
        }
        // A leading zero, "-0", or a fraction or exponent: left to JSONDecoder.
        if bytes[first] == UInt8(ascii: "0") && (i - first > 1 || negative) { return nil }
        if i < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[i]) { return nil }
        index = i
        return value
    }

    /// Skips any one value, checking it is well-formed. Numbers must be integers of at most 18
    /// digits (anything else is declined: `JSONDecoder` judges those).
    mutating func skipValue(depth: Int = 0) -> Bool {
        guard depth < Self.maxDepth, let next = peek() else { return false }
        switch next {
        case UInt8(ascii: "{"):
            return object { s, _ in s.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["):
            return array { $0.skipValue(depth: depth + 1) }
        case UInt8(ascii: "\""):
            return skipString()
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            return bool() != nil
        case UInt8(ascii: "n"):
            return null()
        default:
            return integer(Int64.self).map { $0.magnitude < 1_000_000_000_000_000_000 } ?? false
        }
    }

    // MARK: - Fields

    /// A field `JSONDecoder` reads with `decodeIfPresent` (or a default): `null` leaves it nil.
    mutating func nullable(_ value: inout String?) -> Bool {
        if null() { return true }
        value = string()
        return value != nil
    }

    mutating func nullable(_ value: inout [String: String]?) -> Bool {
        if null() { return true }
        value = stringMap()
        return value != nil
    }

    mutating func nullable<T: FixedWidthInteger>(_ value: inout T?) -> Bool {
        if null() { return true }
        value = integer(T.self)
        return value != nil
    }

    /// `nullable(_:)` of a string kept once (`internedString()`).
    mutating func nullableInterned(_ value: inout String?) -> Bool {
        if null() { return true }
        value = internedString()
        return value != nil
    }

    /// A field that must be a string (`null` is declined).
    mutating func required(_ value: inout String?) -> Bool {
        value = string()
        return value != nil
    }

    // MARK: - Pieces

    private mutating func literal(_ word: StaticString) -> Bool {
        guard peek() != nil, bytes.count - index >= word.utf8CodeUnitCount else { return false }
        for k in 0..<word.utf8CodeUnitCount where bytes[index + k] != word.utf8Start[k] { return false }
        index += word.utf8CodeUnitCount
        return true
    }

    /// A key: a string of ASCII bytes without escapes.
    private mutating func asciiKey() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                let key = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return key
            }
            guard b >= 0x20, b < 0x80, b != UInt8(ascii: "\\") else { return nil }
            index += 1
        }
        return nil
    }

    /// One escape after its backslash, appended as UTF-8. `\u0000` and unpaired surrogates are
    /// declined.
    private mutating func escape(into utf8: inout [UInt8]) -> Bool {
        guard index < bytes.count else { return false }
        let e = bytes[index]
        index += 1
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(e)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            guard var scalar = hex4(), scalar != 0 else { return false }
            if (0xD800..<0xDC00).contains(scalar) {
                guard bytes.count - index >= 2, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else { return false }
                index += 2
                guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return false }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                return false
            }
            guard let unicode = Unicode.Scalar(scalar) else { return false }
            utf8.append(contentsOf: UTF8.encode(unicode)!)
        default:
            return false
        }
        return true
    }

    private mutating func hex4() -> UInt32? {
        guard bytes.count - index >= 4 else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[index]
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}
