import Foundation
import LatticeSpy
import Testing

/// Reply pairing, outcomes, timeouts and bounds, without a network.
@Suite struct SpyPairingTests {
    let t0 = ContinuousClock.now

    func reply(_ subject: String, at ms: Int, status: String? = nil, serverInbox: String? = nil, payload: String = "") -> SpyWireMessage {
        SpyWireMessage(subject: subject, reply: serverInbox, headers: status.map { ["Status": $0] } ?? [:],
                       payload: Data(payload.utf8), receivedAt: t0 + .milliseconds(ms))
    }

    @Test func resultsCompleteTheCallWithLatency() throws {
        let capture = SpyCapture()
        capture.ingest([SpyWireMessage.invocation(target: "kv", reply: "_INBOX.c.1", at: t0)], from: .invocations)
        capture.ingest([reply("_INBOX.c.1", at: 2, serverInbox: "_INBOX.s.1")], from: .inboxes)
        #expect(capture.snapshot().messages.first?.handshakeLatency == .milliseconds(2))
        #expect(capture.snapshot().messages.first?.outcome == .pending)
        capture.ingest([reply("_INBOX.c.1.results", at: 7, payload: "value")], from: .inboxes)
        let messages = capture.snapshot().messages
        #expect(messages.map(\.kind) == [.invocation, .handshake, .results])
        let call = messages[0]
        #expect(call.outcome == .ok)
        #expect(call.resultsLatency == .milliseconds(7))
        #expect(call.latency == .milliseconds(7))
        #expect(messages[2].preview.rendered == "value")
        let op = try #require(capture.snapshot().operations.first)
        #expect(op.operation == "wasi:keyvalue/store@0.2.0-draft.get")
        #expect(op.calls == 1 && op.ok == 1 && op.errors == 0)
        #expect(op.p50 == .milliseconds(7))
        #expect(op.handshakeLatency.p50 == .milliseconds(2))
    }

    @Test func resultsWithoutAHandshakeStillPair() {
        let capture = SpyCapture()
        capture.ingest([SpyWireMessage.invocation(target: "kv", reply: "_INBOX.c.9", at: t0)], from: .invocations)
        capture.ingest([reply("_INBOX.c.9.results.0", at: 4)], from: .inboxes)   // an indexed results sub-subject
        #expect(capture.snapshot().messages.first?.outcome == .ok)
        #expect(capture.snapshot().messages.first?.handshakeLatency == nil)
    }

    @Test func statusHeadersOnTheHandshakeAreErrors() throws {
        let capture = SpyCapture()
        capture.ingest([
            SpyWireMessage.invocation(target: "down", reply: "_INBOX.c.1", at: t0),
            SpyWireMessage.invocation(target: "slow", reply: "_INBOX.c.2", at: t0),
            SpyWireMessage.invocation(target: "odd", reply: "_INBOX.c.3", at: t0),
        ], from: .invocations)
        capture.ingest([reply("_INBOX.c.1", at: 1, status: "503"), reply("_INBOX.c.2", at: 1, status: "408 Request Timeout"),
                        reply("_INBOX.c.3", at: 1, status: "500")], from: .inboxes)
        let calls = capture.snapshot().messages.filter { $0.kind == .invocation }
        #expect(calls.map(\.outcome) == [.notConnected, .timedOut, .failed])
        #expect(calls.map(\.status) == [503, 408, 500])
        let c = capture.counters
        #expect(c.failed == 2 && c.timedOut == 1 && c.expired == 0 && c.pending == 0)
        #expect(capture.snapshot().operations.first?.errors == 3)
    }

    @Test func noReplyWithinTheTimeoutExpires() {
        let capture = SpyCapture(configuration: SpyConfiguration(replyTimeout: .milliseconds(100)))
        capture.ingest([SpyWireMessage.invocation(target: "kv", reply: "_INBOX.c.1", at: t0)], from: .invocations)
        capture.expire(now: t0 + .milliseconds(99))
        #expect(capture.counters.pending == 1)
        capture.expire(now: t0 + .milliseconds(100))
        #expect(capture.counters.pending == 0)
        #expect(capture.counters.expired == 1)
        #expect(capture.counters.timedOut == 1)
        #expect(capture.snapshot().messages.first?.outcome == .timedOut)
        // A late reply answers nothing.
        capture.ingest([reply("_INBOX.c.1.results", at: 500)], from: .inboxes)
        capture.expire(now: t0 + .seconds(5))
        #expect(capture.counters.unmatchedReplies == 1)
        #expect(capture.snapshot().messages.count == 1)
    }

    @Test func pendingTableIsBounded() {
        let capture = SpyCapture(configuration: SpyConfiguration(maxPendingCalls: 10))
        let calls = (0..<25).map { SpyWireMessage.invocation(target: "kv", reply: "_INBOX.c.\($0)", at: t0) }
        capture.ingest(calls, from: .invocations)
        #expect(capture.counters.pending == 10)
        #expect(capture.counters.evicted == 15)
        #expect(capture.snapshot().messages.first?.outcome == .evicted)
        // The newest ten still pair.
        capture.ingest([reply("_INBOX.c.24.results", at: 3)], from: .inboxes)
        #expect(capture.snapshot().messages.last?.kind == .results)
    }

    @Test func pendingOrderStaysBoundedUnderSustainedTraffic() {
        let capture = SpyCapture(configuration: SpyConfiguration(ringCapacity: 1000, replyTimeout: .seconds(60), maxPendingCalls: 100))
        for round in 0..<200 {
            let calls = (0..<50).map { SpyWireMessage.invocation(target: "kv", reply: "_INBOX.r\(round).\($0)", at: t0) }
            capture.ingest(calls, from: .invocations)
            capture.ingest((0..<50).map { reply("_INBOX.r\(round).\($0).results", at: 1) }, from: .inboxes)
        }
        #expect(capture.counters.ok == 10_000)
        #expect(capture.counters.pending == 0)
        #expect(capture.counters.evicted == 0)
    }

    @Test func aReplyThatOvertakesItsInvocationStillPairs() {
        let capture = SpyCapture()
        capture.ingest([reply("_INBOX.c.1", at: 1, serverInbox: "_INBOX.s.1"), reply("_INBOX.c.1.results", at: 2)], from: .inboxes)
        #expect(capture.snapshot().messages.isEmpty)
        capture.ingest([SpyWireMessage.invocation(target: "kv", reply: "_INBOX.c.1", at: t0)], from: .invocations)
        let messages = capture.snapshot().messages
        #expect(messages.map(\.kind) == [.invocation, .handshake, .results])
        #expect(messages[0].outcome == .ok)
        #expect(capture.counters.unmatchedReplies == 0)
    }

    @Test func otherInboxTrafficIsCountedNotKept() {
        let capture = SpyCapture()
        capture.ingest([reply("_INBOX.ctl.reply", at: 0, payload: "{\"success\":true}")], from: .inboxes)
        capture.expire(now: t0 + .seconds(2))
        #expect(capture.snapshot().messages.isEmpty)
        #expect(capture.counters.unmatchedReplies == 1)
    }

    @Test func repliesOutsideTheInboxPrefixesAreUnobserved() {
        let capture = SpyCapture(configuration: SpyConfiguration(inboxPrefixes: ["_INBOX.>"]))
        capture.ingest([
            SpyWireMessage.invocation(target: "kv", reply: "custom.inbox.1", at: t0),
            SpyWireMessage.invocation(target: "kv", reply: nil, at: t0),
            SpyWireMessage.invocation(target: "kv", reply: "_INBOXY.1", at: t0),
        ], from: .invocations)
        #expect(capture.snapshot().messages.map(\.outcome) == [.unobserved, .unobserved, .unobserved])
        #expect(capture.counters.unobserved == 3)
        #expect(capture.counters.pending == 0)
        let custom = SpyCapture(configuration: SpyConfiguration(inboxPrefixes: ["_INBOX", "custom.inbox"]))
        #expect(custom.configuration.inboxSubjects == ["_INBOX.>", "custom.inbox.>"])
        custom.ingest([SpyWireMessage.invocation(target: "kv", reply: "custom.inbox.1", at: t0)], from: .invocations)
        #expect(custom.counters.pending == 1)
    }

    @Test func componentScopeCreditsBySourceID() {
        let capture = SpyCapture(configuration: SpyConfiguration(foreignCalls: .mark), scope: .component("counter"))
        capture.ingest([
            SpyWireMessage.invocation(target: "counter", reply: "_INBOX.1", source: "httpserver"),    // to the component
            SpyWireMessage.invocation(target: "kvredis", reply: "_INBOX.2", source: "counter"),       // by the component
            SpyWireMessage.invocation(target: "kvredis", reply: "_INBOX.3", source: "other-component"),
            SpyWireMessage.invocation(target: "kvredis", reply: "_INBOX.4", source: nil),
        ], from: .invocations)
        #expect(capture.snapshot().messages.map(\.attribution) == [.direct, .direct, .foreign, .assumed])
        #expect(capture.counters.foreignCalls == 1)
        #expect(capture.snapshot().operations.first?.calls == 3)
    }

    @Test func pauseFreezesTheViewWhileCaptureGoesOn() {
        let capture = SpyCapture()
        capture.ingest([SpyWireMessage.invocation(target: "kv", reply: "_INBOX.c.1", at: t0)], from: .invocations)
        capture.pause()
        #expect(capture.isPaused)
        capture.ingest([reply("_INBOX.c.1.results", at: 3)], from: .inboxes)
        capture.ingest([SpyWireMessage.invocation(target: "kv", reply: "_INBOX.c.2", at: t0)], from: .invocations)
        let frozen = capture.snapshot()
        #expect(frozen.isPaused)
        #expect(frozen.messages.count == 1)
        #expect(frozen.messages[0].outcome == .pending, "the frozen copy does not change")
        #expect(frozen.counters.kept == 3, "counters stay live")
        capture.resume()
        let live = capture.snapshot()
        #expect(!live.isPaused)
        #expect(live.messages.map(\.kind) == [.invocation, .results, .invocation])
        #expect(live.messages[0].outcome == .ok)
    }

    @Test func ratesCountMessagesPerSecond() {
        let capture = SpyCapture(configuration: SpyConfiguration(rateWindowSeconds: 10))
        capture.ingest((0..<7).map { SpyWireMessage.invocation(target: "kv", reply: "_INBOX.r.\($0)") }, from: .invocations)
        let rate = capture.snapshot().messagesPerSecond
        #expect(rate.count == 10)
        #expect(rate.reduce(0, +) == 7)
        #expect(rate.last! + rate[rate.count - 2] == 7, "all in the last second or two")
        var series = RateSeries(window: 5)
        series.add(second: 100, count: 3)
        series.add(second: 102)
        series.add(second: 96, count: 50)     // older than the window when 100 is already there: ignored
        series.add(second: 105, count: 2)     // reuses 100's bucket
        #expect(series.series(endingAt: 105) == [0, 1, 0, 0, 2])
    }

    @Test func previewKeepsASmallPrefixAndSaysSo() {
        let capture = SpyCapture(configuration: SpyConfiguration(previewBytes: 8))
        let text = String(repeating: "é", count: 10)   // 2 bytes each: the 8-byte cut is on a boundary
        let odd = "abc" + String(repeating: "é", count: 10)   // the cut falls inside a character
        capture.ingest([SpyWireMessage.invocation(target: "kv", reply: nil, payload: text),
                        SpyWireMessage.invocation(target: "kv", reply: nil, payload: odd)], from: .invocations)
        let m = capture.snapshot().messages
        #expect(m[0].size == 20)
        #expect(m[0].payloadPrefix.count == 8)
        #expect(m[0].preview.kind == .text)
        #expect(m[0].preview.rendered == "éééé")
        #expect(m[0].preview.isTruncated)
        #expect(m[1].preview.rendered == "abcéé")
        #expect(m[1].preview.shownBytes == 7)
        #expect(m[1].preview.summary.hasSuffix("(+16 bytes)"))
    }

    @Test func fullPayloadOnlyForTheMostRecentMessages() throws {
        let capture = SpyCapture(configuration: SpyConfiguration(previewBytes: 4, rawTailMessages: 3, rawTailBytes: 1000))
        let big = String(repeating: "x", count: 600)
        capture.ingest((0..<5).map { SpyWireMessage.invocation(target: "kv", reply: nil, payload: "payload-\($0)") }, from: .invocations)
        #expect(capture.detail(sequence: 1) == nil, "fell out of the raw tail")
        let recent = try #require(capture.detail(sequence: 4))
        #expect(recent.payload == Data("payload-4".utf8))
        #expect(recent.headers["source-id"] == ["caller"])
        #expect(recent.message.preview.rendered == "payl")
        // Byte budget: two 600-byte payloads do not both fit in 1000 bytes.
        capture.ingest([SpyWireMessage.invocation(target: "kv", reply: nil, payload: big),
                        SpyWireMessage.invocation(target: "kv", reply: nil, payload: big)], from: .invocations)
        #expect(capture.detail(sequence: 5) == nil)
        #expect(capture.detail(sequence: 6)?.payload.count == 600)
        #expect(capture.message(sequence: 5)?.size == 600)
    }

    @Test func eventsDeliverMessagesAndCalls() async throws {
        let capture = SpyCapture()
        let events = capture.events()
        capture.ingest([SpyWireMessage.invocation(target: "kv", reply: "_INBOX.c.1", at: t0)], from: .invocations)
        capture.ingest([reply("_INBOX.c.1.results", at: 4)], from: .inboxes)
        capture.finishEvents()
        var kinds: [String] = []
        for await batch in events {
            for e in batch {
                switch e {
                case .message(let m): kinds.append(m.kind.rawValue)
                case .call(let c): kinds.append("call:\(c.outcome.rawValue)")
                }
            }
        }
        #expect(kinds == ["invocation", "results", "call:ok"])
    }
}
