import Foundation

/// Orders (first, second) string keys by their UTF-8 bytes: the same order as comparing the
/// tuples of strings (for the NFC text wasmCloud IDs are), found with `memcmp` on one buffer
/// instead of String comparisons, so ordering tens of thousands of rows stays within a frame.
public enum ByteOrder {
    /// The indices of `keys` in ascending order of (first, second).
    public static func sortedIndices(_ keys: [(String, String)]) -> [Int] {
        sortedIndices(count: keys.count) { i, bytes in
            bytes.append(contentsOf: keys[i].0.utf8)
            bytes.append(0)  // sorts "ab" + host before "abc" + host, as the tuples do
            bytes.append(contentsOf: keys[i].1.utf8)
        }
    }

    /// The indices `0..<count` in ascending order of the keys `key(i, &bytes)` appends: several
    /// fields separated by a 0 byte order as the tuple of those fields does.
    public static func sortedIndices(count: Int, key: (Int, inout [UInt8]) -> Void) -> [Int] {
        guard count > 1 else { return Array(0..<count) }
        var bytes: [UInt8] = []
        var ranges: [(start: Int, count: Int)] = []
        ranges.reserveCapacity(count)
        for i in 0..<count {
            let start = bytes.count
            key(i, &bytes)
            ranges.append((start, bytes.count - start))
        }
        var order = Array(0..<count)
        bytes.withUnsafeBufferPointer { buffer in
            ranges.withUnsafeBufferPointer { r in
                guard let base = buffer.baseAddress else { return }
                order.sort { i, j in
                    let a = r[i], b = r[j]
                    let c = memcmp(base + a.start, base + b.start, min(a.count, b.count))
                    return c != 0 ? c < 0 : a.count < b.count
                }
            }
        }
        return order
    }
}
