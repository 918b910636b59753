import Foundation

/// Orders (first, second) string keys by their UTF-8 bytes: the same order as comparing the
/// tuples of strings (for the NFC text wasmCloud IDs are), found with `memcmp` on one buffer
/// instead of String comparisons, so ordering tens of thousands of rows stays within a frame.
public enum ByteOrder {
    /// The indices of `keys` in ascending order of (first, second).
    public static func sortedIndices(_ keys: [(String, String)]) -> [Int] {
        guard keys.count > 1 else { return Array(keys.indices) }
        var bytes: [UInt8] = []
        var ranges: [(start: Int, count: Int)] = []
        ranges.reserveCapacity(keys.count)
        for (first, second) in keys {
            let start = bytes.count
            bytes.append(contentsOf: first.utf8)
            bytes.append(0)  // sorts "ab" + host before "abc" + host, as the tuples do
            bytes.append(contentsOf: second.utf8)
            ranges.append((start, bytes.count - start))
        }
        var order = Array(keys.indices)
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
