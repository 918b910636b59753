import Foundation
import LatticeSpy
import Testing
@testable import LatticeTop

/// `latticetop spy` remembers nothing per call unless `--count` needs it: it once kept every
/// unanswered invocation's sequence in a set for as long as it ran (30 MiB after 10 M messages).
@Suite struct SpyOutputMemoryTests {
    static func unansweredCalls(_ n: Int) async -> [SpyEvent] {
        let capture = SpyCapture()
        let stream = capture.events()
        for i in 0..<n {
            capture.ingest([SpyWireMessage(subject: "default.kv.wrpc.0.0.1.wasi:keyvalue/store@0.2.0-draft.get", reply: "_INBOX.m.\(i)",
                                           headers: ["source-id": "caller", "link-name": "default"], payload: Data("k".utf8))],
                           from: .invocations)
        }
        capture.finishEvents()
        var events: [SpyEvent] = []
        for await batch in stream { events += batch }
        return events
    }

    @Test func withoutCountNothingIsKeptPerCall() async {
        let events = await Self.unansweredCalls(3)
        #expect(events.count == 3)
        let output = SpyOutput(format: .jsonl, filter: nil, limit: nil, hold: .zero)
        output.handle(events)
        #expect(output.linesPrinted == 3)
        #expect(output.tracked == 0)
    }

    @Test func withCountTheCountedCallsAreTrackedUntilTheirOutcome() async {
        let events = await Self.unansweredCalls(3)
        let output = SpyOutput(format: .jsonl, filter: nil, limit: 2, hold: .zero)
        output.handle(events)
        #expect(output.linesPrinted == 2)
        #expect(output.tracked == 4, "two counted, both still open")
        #expect(!output.isDone)
    }
}
