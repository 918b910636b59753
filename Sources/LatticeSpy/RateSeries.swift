/// Per-second counts over the last `window` seconds (a sparkline's data), in a fixed ring of
/// buckets keyed by wall-clock second.
public struct RateSeries: Sendable, Hashable {
    public let window: Int
    private var buckets: [Int]
    private var seconds: [Int64]

    public init(window: Int) {
        self.window = max(1, window)
        buckets = Array(repeating: 0, count: self.window)
        seconds = Array(repeating: .min, count: self.window)
    }

    public mutating func add(second: Int64, count: Int = 1) {
        let i = Int(UInt64(bitPattern: second) % UInt64(window))
        if seconds[i] != second {
            // A newer second reuses the bucket; a message older than the window is not counted.
            if seconds[i] > second { return }
            seconds[i] = second
            buckets[i] = 0
        }
        buckets[i] += count
    }

    /// Counts for the `window` seconds ending with `second`, oldest first (0 for quiet seconds).
    public func series(endingAt second: Int64) -> [Int] {
        (0..<window).map { k in
            let s = second - Int64(window - 1 - k)
            let i = Int(UInt64(bitPattern: s) % UInt64(window))
            return seconds[i] == s ? buckets[i] : 0
        }
    }
}
