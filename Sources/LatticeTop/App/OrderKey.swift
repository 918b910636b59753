import Foundation
import Synchronization

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
            KeyRun.sortedEntries(bytes: buffer, ranges: r, indices: UnsafeBufferPointer(start: nil, count: 0)).map { Int($0.index) }
        }
    }

    /// The indices `0..<count` in the ascending order of the keys `write` appends for them,
    /// as `sortedOrder(bytes:ranges:)`. With `halves`, two threads write and sort keys at once,
    /// each taking the next chunk of indices not taken yet, then the two runs are merged: a
    /// thread that gets no core (a busy machine) leaves its chunks to the other instead of
    /// holding up half of the work. `write` is then called from two threads at once (for
    /// different indices) and must only read what they share.
    /// `chunk`: how many indices a thread takes at a time.
    static func sortedOrder(count: Int, halves: Bool, chunk: Int = 2_048, write: (Int, inout ByteSink) -> Void) -> [Int] {
        guard count > 1 else { return Array(0..<count) }
        guard halves else {
            let run = KeyRun(capacity: count)
            run.fill(chunks: ChunkCounter(count: count, size: count), write)
            return run.entries.map { Int($0.index) }
        }
        let runs = [KeyRun(capacity: count), KeyRun(capacity: count)]
        let chunks = ChunkCounter(count: count, size: max(1, chunk))
        withoutActuallyEscaping(write) { write in
            // Each thread writes only its own run; `write` only reads what they share.
            struct Shared: @unchecked Sendable {
                let runs: [KeyRun]
                let chunks: ChunkCounter
                let write: (Int, inout ByteSink) -> Void
            }
            let shared = Shared(runs: runs, chunks: chunks, write: write)
            DispatchQueue.concurrentPerform(iterations: 2) { shared.runs[$0].fill(chunks: shared.chunks, shared.write) }
        }
        return KeyRun.merged(runs[0], runs[1])
    }
}

/// The indices `0..<count` handed out in chunks, each once, to whichever thread asks next.
private final class ChunkCounter: Sendable {
    let count: Int, size: Int
    private let next = Atomic<Int>(0)

    init(count: Int, size: Int) {
        self.count = count
        self.size = size
    }

    /// The next chunk not taken yet; nil when all are.
    func take() -> Range<Int>? {
        let start = next.wrappingAdd(size, ordering: .relaxed).oldValue
        return start < count ? start..<min(count, start + size) : nil
    }
}

/// The keys of the indices one thread took, written into one buffer and sorted
/// (`OrderKey.sortedOrder`).
private final class KeyRun {
    /// A key's first 24 bytes as three numbers, its index, and its place in the run (`ranges`).
    struct Entry { var a: UInt64, b: UInt64, c: UInt64, index: UInt32, local: UInt32 }
    static let prefix = 24

    // Written only by the thread filling this run: no run-time exclusivity check per key.
    @exclusivity(unchecked) var sink: ByteSink
    var ranges: [Range<Int>] = []
    var entries: [Entry] = []

    /// Room for keys of up to `count` indices.
    init(capacity count: Int) {
        // Room for every key at once (a key is about 100 bytes: the cell and the row's ID), so
        // the sink rarely grows; pages not written are never touched.
        sink = ByteSink(capacity: count * 128)
    }

    /// The keys of the chunks this thread takes, written, then sorted.
    func fill(chunks: ChunkCounter, _ write: (Int, inout ByteSink) -> Void) {
        // Appended to local arrays, not the properties (no exclusivity check per key).
        var ranges: [Range<Int>] = [], indices: [UInt32] = []
        while let chunk = chunks.take() {
            ranges.reserveCapacity(ranges.count + chunk.count)
            indices.reserveCapacity(indices.count + chunk.count)
            for i in chunk {
                let start = sink.count
                write(i, &sink)
                ranges.append(start..<sink.count)
                indices.append(UInt32(truncatingIfNeeded: i))
            }
        }
        self.ranges = ranges
        entries = ranges.withUnsafeBufferPointer { ranges in
            indices.withUnsafeBufferPointer { Self.sortedEntries(bytes: sink.bytes, ranges: ranges, indices: $0) }
        }
    }

    /// The entries of the keys `ranges` delimits in `bytes` (the `i`th key that of
    /// `indices[i]`; all of `ranges` when `indices` is empty), sorted.
    static func sortedEntries(bytes: UnsafeBufferPointer<UInt8>, ranges: UnsafeBufferPointer<Range<Int>>,
                              indices: UnsafeBufferPointer<UInt32>) -> [Entry] {
        var entries = ranges.enumerated().map { local, range in
            let index = indices.isEmpty ? UInt32(truncatingIfNeeded: local) : indices[local]
            guard let base = bytes.baseAddress else { return Entry(a: 0, b: 0, c: 0, index: index, local: UInt32(truncatingIfNeeded: local)) }
            return Entry(a: word(base, range, 0), b: word(base, range, 8), c: word(base, range, 16), index: index,
                         local: UInt32(truncatingIfNeeded: local))
        }
        guard let base = bytes.baseAddress else { return entries }
        entries.sort { x, y in less(x, ranges[Int(x.local)], base, y, ranges[Int(y.local)], base) }
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
        compare(x, p, xs, y, q, ys) < 0
    }

    /// Below 0 when key `x` (its bytes at `p` in `xs`) sorts before key `y` (at `q` in `ys`),
    /// 0 when they are the same bytes, above 0 after.
    @inline(__always) static func compare(_ x: Entry, _ p: Range<Int>, _ xs: UnsafePointer<UInt8>,
                                          _ y: Entry, _ q: Range<Int>, _ ys: UnsafePointer<UInt8>) -> Int {
        if x.a != y.a { return x.a < y.a ? -1 : 1 }
        if x.b != y.b { return x.b < y.b ? -1 : 1 }
        if x.c != y.c { return x.c < y.c ? -1 : 1 }
        let n = min(p.count, q.count)
        // The first 24 bytes are equal (or both keys ended, zero-padded).
        let c = n <= prefix ? 0 : memcmp(xs + p.lowerBound + prefix, ys + q.lowerBound + prefix, n - prefix)
        return c != 0 ? Int(c) : p.count - q.count
    }

    /// The indices of both runs' keys in one ascending order (equal keys by index, as each run
    /// has them: a run's chunks were taken in order).
    static func merged(_ first: KeyRun, _ second: KeyRun) -> [Int] {
        guard !second.entries.isEmpty else { return first.entries.map { Int($0.index) } }
        guard !first.entries.isEmpty else { return second.entries.map { Int($0.index) } }
        var order: [Int] = []
        order.reserveCapacity(first.entries.count + second.entries.count)
        let xs = UnsafePointer(first.sink.base), ys = UnsafePointer(second.sink.base)
        var i = 0, j = 0
        let a = first.entries, b = second.entries
        while i < a.count && j < b.count {
            let c = compare(b[j], second.ranges[Int(b[j].local)], ys, a[i], first.ranges[Int(a[i].local)], xs)
            if c < 0 || c == 0 && b[j].index < a[i].index {
                order.append(Int(b[j].index))
                j += 1
            } else {
                order.append(Int(a[i].index))
                i += 1
            }
        }
        while i < a.count { order.append(Int(a[i].index)); i += 1 }
        while j < b.count { order.append(Int(b[j].index)); j += 1 }
        return order
    }
}
