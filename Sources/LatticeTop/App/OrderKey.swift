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

    /// The indices of `keys` in ascending order, compared on one buffer of all their bytes (no
    /// reference counting inside the sort).
    static func sortedOrder(_ keys: [OrderKey]) -> [Int] {
        guard keys.count > 1 else { return Array(keys.indices) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(keys.count * 48)
        var heads: [UInt64] = []
        var ranges: [(start: Int, count: Int)] = []
        heads.reserveCapacity(keys.count)
        ranges.reserveCapacity(keys.count)
        for key in keys {
            heads.append(key.head)
            ranges.append((bytes.count, key.bytes.count))
            bytes.append(contentsOf: key.bytes)
        }
        var order = Array(keys.indices)
        bytes.withUnsafeBufferPointer { buffer in
            heads.withUnsafeBufferPointer { h in
                ranges.withUnsafeBufferPointer { r in
                    let base = buffer.baseAddress!
                    order.sort { i, j in
                        if h[i] != h[j] { return h[i] < h[j] }
                        let a = r[i], b = r[j]
                        let n = min(a.count, b.count)
                        let c = n == 0 ? 0 : memcmp(base + a.start, base + b.start, n)
                        return c != 0 ? c < 0 : a.count < b.count
                    }
                }
            }
        }
        return order
    }
}
