import LatticeSpy
import Testing

@Suite struct LatencyHistogramTests {
    /// Within the histogram's promised relative error (1/16) of `expected`.
    func close(_ value: Duration?, _ expected: Duration) -> Bool {
        guard let value else { return false }
        let v = Double(value.components.seconds) + Double(value.components.attoseconds) / 1e18
        let e = Double(expected.components.seconds) + Double(expected.components.attoseconds) / 1e18
        return abs(v - e) <= e / 16
    }

    @Test func percentilesOfAUniformSpread() {
        var h = LatencyHistogram()
        for ms in 1...1000 { h.record(.milliseconds(ms)) }
        #expect(h.count == 1000)
        #expect(close(h.p50, .milliseconds(500)), "p50 = \(String(describing: h.p50))")
        #expect(close(h.p99, .milliseconds(990)), "p99 = \(String(describing: h.p99))")
        #expect(close(h.percentile(0.9), .milliseconds(900)))
        #expect(h.min == .milliseconds(1))
        #expect(h.max == .milliseconds(1000))
        #expect(close(h.mean, .microseconds(500_500)))
    }

    @Test func skewedDataWithARareSlowTail() {
        var h = LatencyHistogram()
        for _ in 0..<985 { h.record(.microseconds(200)) }
        for _ in 0..<15 { h.record(.seconds(2)) }
        #expect(close(h.p50, .microseconds(200)))
        #expect(close(h.percentile(0.98), .microseconds(200)))
        #expect(close(h.p99, .seconds(2)))
        #expect(h.percentile(1.0) == .seconds(2))
    }

    @Test func exactBelowSixteenMicrosecondsAndClampedToMinMax() {
        var h = LatencyHistogram()
        for us in [3, 3, 3, 7] { h.record(.microseconds(us)) }
        #expect(h.p50 == .microseconds(3))
        #expect(h.percentile(1) == .microseconds(7))
        var one = LatencyHistogram()
        one.record(.milliseconds(37))
        #expect(one.p50 == .milliseconds(37), "a single value is reported exactly (clamped to min/max)")
        #expect(LatencyHistogram().p50 == nil)
    }

    @Test func mergeAddsCounts() {
        var a = LatencyHistogram()
        var b = LatencyHistogram()
        for ms in 1...500 { a.record(.milliseconds(ms)) }
        for ms in 501...1000 { b.record(.milliseconds(ms)) }
        a.merge(b)
        #expect(a.count == 1000)
        #expect(close(a.p50, .milliseconds(500)))
        #expect(a.max == .milliseconds(1000))
    }

    @Test func hugeValuesLandInTheLastBucket() {
        var h = LatencyHistogram()
        h.record(.seconds(86_400 * 365))
        #expect(h.count == 1)
        #expect(h.p99 != nil)
    }
}
