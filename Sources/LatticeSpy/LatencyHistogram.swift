/// A fixed-size log-bucket histogram of durations (HdrHistogram's idea, small): values in
/// microseconds; exact below 16 µs, then 8 sub-buckets per power of two, so any percentile is
/// within 1/16 (6.25 %) of the true value. 344 buckets cover 1 µs to ~12 days; larger values
/// land in the last bucket. Min, max and sum are exact.
public struct LatencyHistogram: Sendable, Hashable {
    static let linear = 16
    static let subBuckets = 8
    static let subBits = 3
    static let maxExponent = 44
    static let bucketCount = linear + (maxExponent - 4 + 1) * subBuckets

    private var counts: [UInt64]
    public private(set) var count: UInt64 = 0
    public private(set) var minMicroseconds: UInt64 = .max
    public private(set) var maxMicroseconds: UInt64 = 0
    public private(set) var sumMicroseconds: UInt64 = 0

    public init() {
        counts = Array(repeating: 0, count: Self.bucketCount)
    }

    public mutating func record(_ duration: Duration) {
        let (s, atto) = duration.components
        let us = s < 0 ? 0 : UInt64(s) &* 1_000_000 &+ UInt64(Swift.max(0, atto) / 1_000_000_000_000)
        record(microseconds: us)
    }

    public mutating func record(microseconds us: UInt64) {
        counts[Self.index(us)] += 1
        count += 1
        minMicroseconds = Swift.min(minMicroseconds, us)
        maxMicroseconds = Swift.max(maxMicroseconds, us)
        sumMicroseconds &+= us
    }

    static func index(_ v: UInt64) -> Int {
        if v < UInt64(linear) { return Int(v) }
        let exponent = 63 - v.leadingZeroBitCount           // ≥ 4
        if exponent > maxExponent { return bucketCount - 1 }
        let sub = Int((v >> UInt64(exponent - subBits)) & UInt64(subBuckets - 1))
        return linear + (exponent - 4) * subBuckets + sub
    }

    /// Lowest value and width of a bucket.
    static func bounds(_ index: Int) -> (low: UInt64, width: UInt64) {
        if index < linear { return (UInt64(index), 1) }
        let exponent = (index - linear) / subBuckets + 4
        let sub = UInt64((index - linear) % subBuckets)
        let width = UInt64(1) << UInt64(exponent - subBits)
        return ((UInt64(1) << UInt64(exponent)) + sub * width, width)
    }

    /// The value at quantile `q` (0…1), e.g. 0.5 and 0.99; nil when empty. Reports the middle of
    /// the bucket holding it, clamped to the exact min and max.
    public func percentile(_ q: Double) -> Duration? {
        guard count > 0 else { return nil }
        let rank = Swift.max(1, UInt64((Swift.min(Swift.max(q, 0), 1) * Double(count)).rounded(.up)))
        var seen: UInt64 = 0
        for (i, c) in counts.enumerated() where c > 0 {
            seen += c
            if seen >= rank {
                let (low, width) = Self.bounds(i)
                let mid = width == 1 ? low : low + width / 2
                return .microseconds(Int64(Swift.min(Swift.max(mid, minMicroseconds), maxMicroseconds)))
            }
        }
        return .microseconds(Int64(maxMicroseconds))
    }

    public var p50: Duration? { percentile(0.5) }
    public var p99: Duration? { percentile(0.99) }
    public var min: Duration? { count == 0 ? nil : .microseconds(Int64(minMicroseconds)) }
    public var max: Duration? { count == 0 ? nil : .microseconds(Int64(maxMicroseconds)) }
    public var mean: Duration? { count == 0 ? nil : .microseconds(Int64(sumMicroseconds / count)) }

    public mutating func merge(_ other: LatencyHistogram) {
        for i in counts.indices { counts[i] += other.counts[i] }
        count += other.count
        minMicroseconds = Swift.min(minMicroseconds, other.minMicroseconds)
        maxMicroseconds = Swift.max(maxMicroseconds, other.maxMicroseconds)
        sumMicroseconds &+= other.sumMicroseconds
    }
}
