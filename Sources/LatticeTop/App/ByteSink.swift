/// Bytes written one after another into memory of its own, grown by doubling: what the order
/// keys of many rows are written into (`OrderKey`, `SortKey`), byte by byte through a pointer,
/// without an array's checks and growth per byte. Room is asked for first (`reserve`), then
/// written.
struct ByteSink: ~Copyable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 64) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Room for `extra` more bytes.
    @inline(__always) mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    private mutating func grow(to needed: Int) {
        var capacity = self.capacity
        while capacity < needed { capacity *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        bigger.update(from: base, count: count)
        base.deallocate()
        base = bigger
        self.capacity = capacity
    }

    /// Appends a byte there is room for (`reserve`).
    @inline(__always) mutating func put(_ byte: UInt8) {
        base[count] = byte
        count += 1
    }

    /// Appends bytes there is room for (`reserve`).
    @inline(__always) mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    /// Appends a string's UTF-8 bytes (room made here).
    mutating func append(utf8 text: String) {
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { utf8 in
            reserve(utf8.count)
            put(utf8)
        }
        if done == nil {
            var text = text
            text.withUTF8 { utf8 in
                reserve(utf8.count)
                put(utf8)
            }
        }
    }

    /// Drops the bytes from `count` on.
    mutating func truncate(to count: Int) { self.count = min(self.count, max(0, count)) }

    /// Flips every bit of the bytes from `start` on.
    mutating func invert(from start: Int) {
        for i in start..<count { base[i] = ~base[i] }
    }

    /// The bytes written.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// The bytes written, as an array.
    var array: [UInt8] { Array(bytes) }
}
