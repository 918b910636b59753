import Foundation
@testable import LatticeSpy
import NATSKit
import Testing

/// The spy's byte-level hot path: header blocks read in place, the pending-call table and the
/// message store's byte arena.
@Suite struct SpyBytePathTests {
    func fields(_ block: String) -> (SpyHeaderFields?, [String: String]) {
        var text = block
        return text.withUTF8 { utf8 in
            let raw = UnsafeRawBufferPointer(utf8)
            guard let f = SpyHeaderFields(raw) else { return (nil, [:]) }
            var out: [String: String] = [:]
            func put(_ name: String, _ r: Range<Int>?) { if let r { out[name] = String(decoding: raw[r], as: UTF8.self) } }
            put("source-id", f.sourceID)
            put("target-id", f.targetID)
            put("link-name", f.linkName)
            put("traceparent", f.traceparent)
            return (f, out)
        }
    }

    @Test func headerBlockValuesAsCnatsReadsThem() {
        let (f, values) = fields("NATS/1.0\r\nsource-id:  comp-a \r\nlink-name: default\r\nsource-id: second\r\nX-Other: 1\r\ntraceparent: 00-abc-def-01\r\n\r\n")
        #expect(f != nil)
        #expect(values == ["source-id": "comp-a", "link-name": "default", "traceparent": "00-abc-def-01"])
        #expect(f?.status == 0)
        // Keys are matched exactly, as cnats does.
        #expect(fields("NATS/1.0\r\nSource-Id: x\r\n\r\n").1.isEmpty)
    }

    @Test func statusFromTheStatusLineOrHeader() {
        #expect(fields("NATS/1.0 503\r\n\r\n").0?.status == 503)
        #expect(fields("NATS/1.0 408 Request Timeout\r\n\r\n").0?.status == 408)
        #expect(fields("NATS/1.0\r\nStatus: 503\r\n\r\n").0?.status == 503)
        #expect(fields("NATS/1.0 100 Idle\r\nStatus: 503\r\n\r\n").0?.status == 100)
    }

    @Test func blocksOnlyCnatsReadsRightAreRefused() {
        #expect(fields("NATS/1.0\r\nsource-id: a\r\n  folded\r\n\r\n").0 == nil)
        #expect(fields("NATS/1.0\r\nno colon here\r\n\r\n").0 == nil)
        #expect(fields("NATS/1.0").0 == nil)
        #expect(fields("").0 != nil)   // no headers at all
    }

    /// Received messages: the raw header block read in place gives what cnats' own header API
    /// gives, and once cnats has parsed the headers (in place) the block is no longer offered.
    @Test func rawHeaderBlockOfReceivedMessages() async throws {
        let server = try SpyTestServer()
        defer { server.stop() }
        let c = try await server.connect("bytes")
        let sub = try c.subscribe("t.>", bufferLimit: 100)
        try c.flush()
        let cases: [[String: String]] = [
            [:], ["source-id": "s1"], ["source-id": "s2", "target-id": "t2", "link-name": "l2", "traceparent": "00-11-22-01", "other": "x"],
        ]
        for (i, h) in cases.enumerated() {
            try c.publish("t.\(i)", payload: Data("p\(i)".utf8), reply: i == 0 ? nil : "_INBOX.r.\(i)", headers: h)
        }
        try c.flush()
        var got: [NATSMessage] = []
        while got.count < cases.count, let batch = await sub.nextBatch() { got += batch }
        for m in got {
            let i = Int(m.subject.dropFirst(2))!
            let viaBytes: [String: String]? = m.withRawHeaders { block -> [String: String]? in
                guard let block, let f = SpyHeaderFields(block) else { return nil }
                var out: [String: String] = [:]
                for (k, r) in [("source-id", f.sourceID), ("target-id", f.targetID), ("link-name", f.linkName), ("traceparent", f.traceparent)] {
                    if let r { out[k] = String(decoding: block[r], as: UTF8.self) }
                }
                return out
            }
            m.withReplyBytes { #expect(String(decoding: $0, as: UTF8.self) == (i == 0 ? "" : "_INBOX.r.\(i)")) }
            m.withSubjectBytes { #expect(String(decoding: $0, as: UTF8.self) == "t.\(i)") }
            var expected = cases[i]
            expected["other"] = nil
            #expect(viaBytes == expected)
            for key in ["source-id", "target-id", "link-name", "traceparent"] { #expect(m.header(key) == cases[i][key]) }
            #expect(m.withRawHeaders { $0 == nil }, "cnats has parsed the block in place: it is not offered any more")
        }
        sub.unsubscribe()
    }

    /// The pending table against a dictionary, through inserts and removals in random order
    /// (removal shifts probe chains back; every remaining call must still be found).
    @Test func pendingTableFindsEveryLiveCall() {
        var table = PendingCalls(limit: 300, timeout: .seconds(60))
        var live: [String: Int32] = [:]
        let site = SpyCallSite(route: SpyRoute(subject: "l.c.wrpc.0.0.1.i:f/g@1.0.0.h")!, source: nil, targetID: nil, rawLinkName: nil)
        var rng = SystemRandomNumberGenerator()
        for step in 0..<5000 {
            if live.count < 300 && (live.isEmpty || Bool.random(using: &rng)) {
                let reply = "_INBOX.x.\(step)"
                let slot = SpySlot(callSequence: UInt64(step), time: Date(), site: site, size: 0, statusCode: 0, kind: .invocation,
                                   attribution: .direct, outcome: .pending)
                var bytes = Array(reply.utf8) + [1, 2, 3]
                bytes.withUnsafeMutableBytes { b in
                    table.insert(PendingCall(slot: slot, sequence: UInt64(step + 1), receivedAt: .now), callBytes: UnsafeRawBufferPointer(b),
                                 replyLength: reply.utf8.count)
                }
                live[reply] = table.find(reply)
                #expect(live[reply] != nil)
            } else {
                let reply = live.keys.randomElement(using: &rng)!
                table.remove(live.removeValue(forKey: reply)!)
                #expect(table.find(reply) == nil)
            }
            if step % 500 == 0 {
                for (reply, slot) in live { #expect(table.find(reply) == slot) }
            }
        }
        #expect(table.count == live.count)
        for (reply, slot) in live {
            #expect(table.find(reply) == slot)
            #expect(table.withBytes(slot) { Array($0) } == Array(reply.utf8) + [1, 2, 3])
        }
    }

    /// Messages of every size keep their own bytes through many wraps of the arena; when they
    /// need more than the arena holds, the oldest go early and the rest stay intact.
    @Test func storeKeepsEachMessagesBytes() {
        let site = SpyCallSite(route: SpyRoute(subject: "l.c.wrpc.0.0.1.i:f/g@1.0.0.h")!, source: nil, targetID: nil, rawLinkName: nil)
        for (capacity, perMessage, maxLength) in [(50, 160, 100), (500, 8, 3000)] {
            var store = SpyMessageStore(capacity: capacity, bytesPerMessage: perMessage)
            var expected: [UInt64: [UInt8]] = [:]
            for n in 0..<2000 {
                let length = (n * 7919) % maxLength
                let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &+ n) }
                let span = SpyByteSpan(offset: 0, subjectLength: 0, replyLength: UInt16(min(length, 20)), payloadLength: UInt16(length - min(length, 20)), traceLength: 0)
                let slot = SpySlot(callSequence: UInt64(n), time: Date(), site: site, size: length, statusCode: 0, kind: .invocation,
                                   attribution: .direct, outcome: .pending)
                let position = store.append(slot, owned: bytes, span: span, withSubject: false)
                #expect(position == UInt64(n))
                expected[position] = bytes
                #expect(store.count <= capacity)
                var p = store.firstPosition
                while n % 97 == 0 || n > 1990, p < store.totalAppended {
                    #expect(store.withSlot(p) { _, b in Array(b) } == expected[p], "message \(p) after \(n)")
                    p += 1
                }
            }
            if maxLength <= perMessage { #expect(store.count == capacity) } else { #expect(store.count < capacity) }
            #expect(store[position: store.totalAppended - 1]?.payloadPrefix == Array(expected[store.totalAppended - 1]!.dropFirst(20)))
        }
    }
}
