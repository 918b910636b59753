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
        var id = id
        id.withUTF8 { end(from: start, ascending: ascending, id: $0, in: &sink) }
    }

    /// `end(from:ascending:id:in:)` with the ID's UTF-8 bytes.
    static func end(from start: Int, ascending: Bool, id: UnsafeBufferPointer<UInt8>, in sink: inout ByteSink) {
        sink.reserve(1 + id.count)
        if ascending {
            sink.put(0)
        } else {
            // Inverted, and ended by a byte that sorts after every inverted text byte, so a
            // longer text comes first as it should going down.
            sink.invert(from: start)
            sink.put(0xFF)
        }
        sink.put(id)
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
        guard ranges.count > 1, buffer.baseAddress != nil else { return Array(ranges.indices) }
        return ranges.withUnsafeBufferPointer { r in
            KeyRun.sortedEntries(bytes: buffer, ranges: r, offset: 0).map(\.index)
        }
    }

    /// The indices `0..<count` in the ascending order of the keys `write` appends for them,
    /// as `sortedOrder(bytes:ranges:)`. With `halves`, the two halves of the indices are
    /// written and sorted at once on two threads, then merged: `write` is then called from two
    /// threads at once (for different indices) and must only read what they share.
    static func sortedOrder(count: Int, halves: Bool, write: (Int, inout ByteSink) -> Void) -> [Int] {
        guard count > 1 else { return Array(0..<count) }
        let split = halves ? count / 2 : count
        let runs = [KeyRun(0..<split), KeyRun(split..<count)]
        if halves {
            withoutActuallyEscaping(write) { write in
                // Each thread writes only its own run; `write` only reads what they share.
                struct Shared: @unchecked Sendable {
                    let runs: [KeyRun]
                    let write: (Int, inout ByteSink) -> Void
                }
                let shared = Shared(runs: runs, write: write)
                DispatchQueue.concurrentPerform(iterations: 2) { shared.runs[$0].fill(shared.write) }
            }
        } else {
            runs[0].fill(write)
        }
        return KeyRun.merged(runs[0], runs[1])
    }
}

/// The keys of a run of indices written into one buffer and sorted (`OrderKey.sortedOrder`).
private final class KeyRun {
    /// A key's first 24 bytes as three numbers, and its index.
    struct Entry { var a: UInt64, b: UInt64, c: UInt64, index: Int }
    static let prefix = 24

    let indices: Range<Int>
    // Written only by the thread filling this run: no run-time exclusivity check per key.
    @exclusivity(unchecked) var sink: ByteSink
    var ranges: [Range<Int>] = []
    var entries: [Entry] = []

    init(_ indices: Range<Int>) {
        self.indices = indices
        // Room for every key at once (a key is about 100 bytes: the cell and the row's ID), so
        // the sink rarely grows; pages not written are never touched.
        sink = ByteSink(capacity: indices.count * 128)
    }

    /// Each index's key written, then sorted.
    func fill(_ write: (Int, inout ByteSink) -> Void) {
        // Appended to a local array, not the property (no exclusivity check per key).
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(indices.count)
        for i in indices {
            let start = sink.count
            write(i, &sink)
            ranges.append(start..<sink.count)
        }
        self.ranges = ranges
        entries = ranges.withUnsafeBufferPointer { Self.sortedEntries(bytes: sink.bytes, ranges: $0, offset: indices.lowerBound) }
    }

    /// The entries of the keys `ranges` delimits in `bytes` (indices from `offset`), sorted.
    static func sortedEntries(bytes: UnsafeBufferPointer<UInt8>, ranges: UnsafeBufferPointer<Range<Int>>, offset: Int) -> [Entry] {
        guard let base = bytes.baseAddress else { return ranges.indices.map { Entry(a: 0, b: 0, c: 0, index: offset + $0) } }
        var entries = ranges.enumerated().map { Entry(a: word(base, $1, 0), b: word(base, $1, 8), c: word(base, $1, 16), index: offset + $0) }
        entries.sort { x, y in less(x, ranges[x.index - offset], base, y, ranges[y.index - offset], base) }
        return entries
    }

    @inline(__always) static func word(_ base: UnsafePointer<UInt8>, _ range: Range<Int>, _ offset: Int) -> UInt64 {
        var value: UInt64 = 0
        let start = range.lowerBound + offset, end = range.upperBound
        if start + 8 <= end {
            value = UInt64(bigEndian: UnsafeRawPointer(base + start).loadUnaligned(as: UInt64.self))
        } else {
            for k in 0..<8 { value = value << 8 | UInt64(start + k < end ? base[start + k] : 0) }
        }
        return value
    }

    /// Whether key `x` (its bytes at `p` in `xs`) sorts before key `y` (at `q` in `ys`).
    @inline(__always) static func less(_ x: Entry, _ p: Range<Int>, _ xs: UnsafePointer<UInt8>,
                                       _ y: Entry, _ q: Range<Int>, _ ys: UnsafePointer<UInt8>) -> Bool {
        if x.a != y.a { return x.a < y.a }
        if x.b != y.b { return x.b < y.b }
        if x.c != y.c { return x.c < y.c }
        let n = min(p.count, q.count)
        // The first 24 bytes are equal (or both keys ended, zero-padded).
        let c = n <= prefix ? 0 : memcmp(xs + p.lowerBound + prefix, ys + q.lowerBound + prefix, n - prefix)
        return c != 0 ? c < 0 : p.count < q.count
    }

    /// The indices of both runs' keys in one ascending order (a key of `first` before an equal
    /// one of `second`).
    static func merged(_ first: KeyRun, _ second: KeyRun) -> [Int] {
        guard !second.entries.isEmpty else { return first.entries.map(\.index) }
        guard !first.entries.isEmpty else { return second.entries.map(\.index) }
        var order: [Int] = []
        order.reserveCapacity(first.entries.count + second.entries.count)
        let xs = UnsafePointer(first.sink.base), ys = UnsafePointer(second.sink.base)
        let lx = first.indices.lowerBound, ly = second.indices.lowerBound
        var i = 0, j = 0
        let a = first.entries, b = second.entries
        while i < a.count && j < b.count {
            if less(b[j], second.ranges[b[j].index - ly], ys, a[i], first.ranges[a[i].index - lx], xs) {
                order.append(b[j].index)
                j += 1
            } else {
                order.append(a[i].index)
                i += 1
            }
        }
        while i < a.count { order.append(a[i].index); i += 1 }
        while j < b.count { order.append(b[j].index); j += 1 }
        return order
    }
}
