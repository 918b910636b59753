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
        var bytes: [UInt8] = []
        bytes.reserveCapacity(48 + id.utf8.count)
        key.appendCollation(to: &bytes)
        if ascending {
            bytes.append(0)
        } else {
            // Inverted, and ended by a byte that sorts after every inverted text byte, so a
            // longer text comes first as it should going down.
            for i in bytes.indices { bytes[i] = ~bytes[i] }
            bytes.append(0xFF)
        }
        bytes.append(contentsOf: id.utf8)
        self.init(bytes)
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

    /// The indices of `keys` in ascending order: all their bytes copied to one buffer, then
    /// sorted 8 bytes at a time (as big-endian numbers; zero past a key's end), each run of
    /// equal chunks again by the next 8 bytes, a run of keys that all ended by length — the
    /// order of `<`, with no reference counting or `memcmp` call inside the sort.
    static func sortedOrder(_ keys: [OrderKey]) -> [Int] {
        guard keys.count > 1 else { return Array(keys.indices) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(keys.reduce(0) { $0 + $1.bytes.count })
        var ranges: [(start: Int, count: Int)] = []
        ranges.reserveCapacity(keys.count)
        for key in keys {
            ranges.append((bytes.count, key.bytes.count))
            bytes.append(contentsOf: key.bytes)
        }
        var order = Array(keys.indices)
        bytes.withUnsafeBufferPointer { buffer in
            ranges.withUnsafeBufferPointer { r in
                let base = buffer.baseAddress!
                func chunk(_ i: Int, _ offset: Int) -> UInt64 {
                    let (start, count) = r[i]
                    var value: UInt64 = 0
                    for k in 0..<8 { value = value << 8 | UInt64(offset + k < count ? base[start + offset + k] : 0) }
                    return value
                }
                var pending = [(low: 0, high: keys.count, offset: 0)]
                var run: [(chunk: UInt64, index: Int)] = []
                while let (low, high, offset) = pending.popLast() {
                    if order[low..<high].allSatisfy({ r[$0].count <= offset }) {
                        order[low..<high].sort { r[$0].count < r[$1].count }
                        continue
                    }
                    run.removeAll(keepingCapacity: true)
                    for p in low..<high { run.append((chunk(order[p], offset), order[p])) }
                    run.sort { $0.chunk < $1.chunk }
                    var p = 0
                    while p < run.count {
                        var q = p + 1
                        while q < run.count && run[q].chunk == run[p].chunk { q += 1 }
                        if q - p > 1 { pending.append((low + p, low + q, offset + 8)) }
                        p = q
                    }
                    for (k, entry) in run.enumerated() { order[low + k] = entry.index }
                }
            }
        }
        return order
    }
}
