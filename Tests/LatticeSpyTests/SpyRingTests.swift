import LatticeSpy
import Testing

@Suite struct SpyRingTests {
    @Test func holdsAtMostCapacityAndWrapsAround() {
        var ring = SpyRing<Int>(capacity: 5)
        #expect(ring.isEmpty)
        #expect(ring.last == nil)
        ring.append(contentsOf: 0..<3)
        #expect(ring.elements == [0, 1, 2])
        #expect(ring.firstPosition == 0)
        ring.append(contentsOf: 3..<12)
        #expect(ring.count == 5)
        #expect(ring.totalAppended == 12)
        #expect(ring.overwritten == 7)
        #expect(ring.elements == [7, 8, 9, 10, 11])
        #expect(ring.last == 11)
    }

    @Test func addressesByAbsolutePosition() {
        var ring = SpyRing<String>(capacity: 3)
        for i in 0..<7 { ring.append("m\(i)") }
        #expect(ring[position: 3] == nil, "overwritten")
        #expect(ring[position: 4] == "m4")
        #expect(ring[position: 6] == "m6")
        #expect(ring[position: 7] == nil, "not yet appended")
        #expect(ring.update(position: 5) { $0 += "!" })
        #expect(!ring.update(position: 1) { $0 += "!" })
        #expect(ring.elements == ["m4", "m5!", "m6"])
    }

    @Test func reverseWalkStopsWhereAsked() {
        var ring = SpyRing<Int>(capacity: 4)
        ring.append(contentsOf: 0..<10)
        var seen: [Int] = []
        ring.reverseForEach { seen.append($0); return true }
        #expect(seen == [9, 8, 7, 6])
        seen = []
        ring.reverseForEach(from: 8) { seen.append($0); return seen.count < 2 }
        #expect(seen == [8, 7])
        seen = []
        ring.reverseForEach(from: 2) { seen.append($0); return true }
        #expect(seen.isEmpty, "position 2 is no longer held")
    }

    @Test func captureRingStaysBounded() {
        let capture = SpyCapture(configuration: SpyConfiguration(ringCapacity: 100))
        let messages = (0..<1000).map { i in
            SpyWireMessage.invocation(target: "kv", reply: nil, payload: "payload \(i)")
        }
        capture.ingest(messages, from: .invocations)
        let snapshot = capture.snapshot(limit: 10_000)
        #expect(snapshot.stored == 100)
        #expect(snapshot.messages.count == 100)
        #expect(snapshot.messages.first?.sequence == 900)
        #expect(snapshot.messages.last?.sequence == 999)
        #expect(snapshot.messages.last?.preview.rendered == "payload 999")
        #expect(snapshot.counters.overwritten == 900)
        #expect(snapshot.counters.kept == 1000)
        #expect(capture.message(sequence: 899) == nil)
        #expect(capture.message(sequence: 950)?.preview.rendered == "payload 950")
    }
}
