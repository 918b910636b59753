import Foundation

/// A row's place in a pane's order as bytes compared with `memcmp`, its first 8 bytes kept as
/// one number that settles most comparisons: sorting 100,000 rows compares bytes, not strings.
struct OrderKey: Comparable, Sendable {
    private(set) var bytes: [UInt8]
    /// The first 8 bytes, big-endian, zero-padded.
    private let head: UInt64

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var head: UInt64 = 0
        for i in 0..<8 { head = head << 8 | UInt64(i < bytes.count ? bytes[i] : 0) }
        self.head = head
    }

    /// The `position`th place.
    init(position: Int) {
        self.init((0..<8).reversed().map { UInt8(truncatingIfNeeded: UInt64(position) >> UInt64($0 * 8)) })
    }

    /// Ordered by the column's sort key (up or down), then by the row's ID (up either way).
    init(_ key: SortKey, ascending: Bool, id: String) {
        var sink = ByteSink(capacity: 48 + id.utf8.count)
        let start = sink.count
        key.appendCollation(to: &sink)
        Self.end(from: start, ascending: ascending, id: id, in: &sink)
        self.init(sink.array)
    }

    /// Ends a key whose sort key's collation was written from `start` on: turned round if not
    /// `ascending`, then the row's ID. What `init(_:ascending:id:)` makes, for many keys in one
    /// sink.
    static func end(from start: Int, ascending: Bool, id: String, in sink: inout ByteSink) {
        sink.reserve(1)
        if ascending {
            sink.put(0)
        } else {
            // Inverted, and ended by a byte that sorts after every inverted text byte, so a
            // longer text comes first as it should going down.
            sink.invert(from: start)
            sink.put(0xFF)
        }
        sink.append(utf8: id)
    }

    static func < (a: OrderKey, b: OrderKey) -> Bool {
        if a.head != b.head { return a.head < b.head }
        return a.bytes.withUnsafeBufferPointer { x in
            b.bytes.withUnsafeBufferPointer { y in
                let n = min(x.count, y.count)
                let c = n == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, n)
                return c != 0 ? c < 0 : x.count < y.count
            }
        }
    }

    static func == (a: OrderKey, b: OrderKey) -> Bool { a.head == b.head && a.bytes == b.bytes }

    /// The indices of `keys` in ascending order (the order of `<`).
    static func sortedOrder(_ keys: [OrderKey]) -> [Int] {
        var sink = ByteSink(capacity: keys.reduce(0) { $0 + $1.bytes.count })
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(keys.count)
        for key in keys {
            ranges.append(sink.count..<sink.count + key.bytes.count)
            key.bytes.withUnsafeBufferPointer {
                sink.reserve($0.count)
                sink.put($0)
            }
        }
        return sortedOrder(bytes: sink.bytes, ranges: ranges)
    }

    /// The indices of `ranges` in the ascending order of the keys they delimit in `bytes`: each
    /// key's first 24 bytes as three big-endian numbers (zero past its end) with its index in
    /// one flat entry, sorted by those numbers, a tie settled by `memcmp` of the rest — no key
    /// object, reference count or allocation per key.
    static func sortedOrder(bytes buffer: UnsafeBufferPointer<UInt8>, ranges: [Range<Int>]) -> [Int] {
        guard ranges.count > 1, let base = buffer.baseAddress else { return Array(ranges.indices) }
        struct Entry { var a: UInt64, b: UInt64, c: UInt64, index: Int }
        let prefix = 24
        @inline(__always) func word(_ range: Range<Int>, _ offset: Int) -> UInt64 {
            var value: UInt64 = 0
            let start = range.lowerBound + offset, end = range.upperBound
            if start + 8 <= end {
                value = UInt64(bigEndian: UnsafeRawPointer(base + start).loadUnaligned(as: UInt64.self))
            } else {
                for k in 0..<8 { value = value << 8 | UInt64(start + k < end ? base[start + k] : 0) }
            }
            return value
        }
        var entries = ranges.enumerated().map { Entry(a: word($1, 0), b: word($1, 8), c: word($1, 16), index: $0) }
        ranges.withUnsafeBufferPointer { r in
            entries.sort { x, y in
                if x.a != y.a { return x.a < y.a }
                if x.b != y.b { return x.b < y.b }
                if x.c != y.c { return x.c < y.c }
                let p = r[x.index], q = r[y.index]
                let n = min(p.count, q.count)
                // The first 24 bytes are equal (or both keys ended, zero-padded).
                let c = n <= prefix ? 0 : memcmp(base + p.lowerBound + prefix, base + q.lowerBound + prefix, n - prefix)
                return c != 0 ? c < 0 : p.count < q.count
            }
        }
        return entries.map(\.index)
    }
}
