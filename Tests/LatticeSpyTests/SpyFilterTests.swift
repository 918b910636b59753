import Foundation
import LatticeSpy
import Testing

@Suite struct SpyFilterTests {
    func capture() -> SpyCapture {
        let capture = SpyCapture()
        let start = ContinuousClock.now
        let calls: [SpyWireMessage] = [
            .invocation(target: "kv", instance: "wasi:keyvalue/store@0.2.0-draft", function: "get", reply: "_INBOX.a.1", at: start),
            .invocation(target: "hello", instance: "wasi:http/incoming-handler@0.2.0", function: "handle", reply: "_INBOX.a.2", at: start),
            .invocation(target: "kv", instance: "wasi:keyvalue/atomics@0.2.0-draft", function: "increment", reply: "_INBOX.a.3", at: start),
        ]
        capture.ingest(calls, from: .invocations)
        capture.ingest([SpyWireMessage(subject: "_INBOX.a.2.results", payload: Data("ok".utf8), receivedAt: start + .milliseconds(2))],
                       from: .inboxes)
        return capture
    }

    @Test func matchesSubjectInstanceAndFunction() throws {
        let c = capture()
        #expect(c.snapshot(filter: try SpyFilter("keyvalue")).messages.map(\.function) == ["get", "increment"])
        #expect(c.snapshot(filter: try SpyFilter("^handle$")).messages.map(\.kind) == [.invocation, .results],
                "replies match as their call does")
        #expect(c.snapshot(filter: try SpyFilter("^default\\.kv\\.")).messages.count == 2, "subject")
        #expect(c.snapshot(filter: try SpyFilter("STORE@0\\.2")).messages.map(\.function) == ["get"], "case-insensitive")
        #expect(c.snapshot(filter: try SpyFilter("atomics@0.2.0-draft.increment")).messages.count == 1, "operation")
        #expect(c.snapshot(filter: try SpyFilter("nothing-like-this")).messages.isEmpty)
    }

    @Test func limitKeepsTheNewestMatches() throws {
        let c = capture()
        #expect(c.snapshot(limit: 1, filter: try SpyFilter("kv")).messages.map(\.function) == ["increment"])
        #expect(c.snapshot(limit: 2).messages.map(\.kind) == [.invocation, .results])
        #expect(c.snapshot(limit: 10, endingAt: 1).messages.map(\.function) == ["get", "handle"])
    }

    @Test func invalidPatternThrows() {
        #expect(throws: (any Error).self) { try SpyFilter("([unclosed") }
    }
}
