import Foundation
import LatticeSpy
import Testing

/// The rest of a wRPC call after its first results (protocol reference §10): results spread over
/// several messages, the empty messages that close the result and parameter streams, and bare
/// functions without an instance token. All of it belongs to the call; none of it is "unmatched".
@Suite struct SpyStreamPairingTests {
    let t0 = ContinuousClock.now

    func inbox(_ subject: String, at ms: Int, serverInbox: String? = nil, payload: String = "") -> SpyWireMessage {
        SpyWireMessage(subject: subject, reply: serverInbox, headers: [:], payload: Data(payload.utf8), receivedAt: t0 + .milliseconds(ms))
    }

    @Test func multiMessageResultsAddUpAndTheCloseIsPaired() throws {
        let capture = SpyCapture()
        capture.ingest([SpyWireMessage.invocation(target: "kv", reply: "_INBOX.c.1", at: t0)], from: .invocations)
        capture.ingest([
            inbox("_INBOX.c.1", at: 1, serverInbox: "_INBOX.s.1"),
            inbox("_INBOX.c.1.results", at: 3, payload: "first-"),
            inbox("_INBOX.c.1.results", at: 4, payload: "second"),
            inbox("_INBOX.c.1.results", at: 5),              // the close of the results stream
            inbox("_INBOX.s.1.params", at: 6),                // the close of the parameter stream
        ], from: .inboxes)
        capture.expire(now: t0 + .seconds(60))
        let messages = capture.snapshot().messages
        #expect(messages.map(\.kind) == [.invocation, .handshake, .results])
        #expect(messages[0].outcome == .ok)
        #expect(messages[2].size == "first-second".utf8.count)
        let c = capture.counters
        #expect(c.unmatchedReplies == 0)
        #expect(c.ok == 1 && c.replies == 5)
    }

    @Test func aCallWithASingleResultsMessageAndItsClose() {
        let capture = SpyCapture()
        capture.ingest([SpyWireMessage.invocation(target: "kv", reply: "_INBOX.c.2", at: t0)], from: .invocations)
        capture.ingest([inbox("_INBOX.c.2", at: 1, serverInbox: "_INBOX.s.2"), inbox("_INBOX.c.2.results", at: 2, payload: "v"),
                        inbox("_INBOX.c.2.results", at: 2)], from: .inboxes)
        capture.expire(now: t0 + .seconds(60))
        #expect(capture.counters.unmatchedReplies == 0)
        #expect(capture.snapshot().messages.last?.size == 1)
        // After the close, another message on the subject answers nothing.
        capture.ingest([inbox("_INBOX.c.2.results", at: 3, payload: "late")], from: .inboxes)
        capture.expire(now: t0 + .seconds(120))
        #expect(capture.counters.unmatchedReplies == 1)
    }

    @Test func bareFunctionsHaveNoInstanceToken() throws {
        let capture = SpyCapture()
        let call = SpyWireMessage(subject: "default.greeter.wrpc.0.0.1.hello", reply: "_INBOX.c.3", headers: ["source-id": "caller"],
                                  payload: Data(), receivedAt: t0)
        capture.ingest([call], from: .invocations)
        capture.ingest([inbox("_INBOX.c.3.results", at: 2, payload: "hi"), inbox("_INBOX.c.3.results", at: 2)], from: .inboxes)
        let message = try #require(capture.snapshot().messages.first)
        #expect(message.operation == "hello")
        #expect(message.instance == "")
        #expect(message.outcome == .ok)
        #expect(capture.counters.malformed == 0)
    }
}
