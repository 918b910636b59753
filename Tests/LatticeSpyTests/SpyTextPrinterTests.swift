import Foundation
import LatticeProtocol
import LatticeSpy
import Testing

@Suite struct SpyTextPrinterTests {
    let t0 = ContinuousClock.now

    func events(_ capture: SpyCapture, _ body: () -> Void) async -> [SpyEvent] {
        let stream = capture.events()
        body()
        capture.finishEvents()
        var all: [SpyEvent] = []
        for await batch in stream { all += batch }
        return all
    }

    @Test func oneLinePerCallWhenItEndsInTime() async {
        let capture = SpyCapture()
        let evs = await events(capture) {
            capture.ingest([SpyWireMessage.invocation(target: "hello", instance: "wasi:http/incoming-handler@0.2.0", function: "handle",
                                                      reply: "_INBOX.c.1", source: "http-server", payload: "GET /", at: t0)],
                           from: .invocations)
            capture.ingest([SpyWireMessage(subject: "_INBOX.c.1.results", payload: Data("ok".utf8), receivedAt: t0 + .microseconds(3200))],
                           from: .inboxes)
        }
        var printer = SpyTextPrinter(hold: .seconds(10))
        let lines = printer.lines(for: evs, now: t0)
        #expect(lines.count == 1)
        let line = lines[0]
        #expect(line.contains("  http-server → hello  wasi:http/incoming-handler@0.2.0.handle  link=default  5 B  \"GET /\"  ✓ 3.2 ms"),
                "\(line)")
        #expect(line.range(of: #"^\d\d:\d\d:\d\d\.\d\d\d  "#, options: .regularExpression) != nil, "\(line)")
        #expect(printer.flush(now: t0 + .seconds(60)).isEmpty)
    }

    @Test func slowCallsArePrintedPendingThenFollowedUp() async {
        let capture = SpyCapture(configuration: SpyConfiguration(replyTimeout: .seconds(1)))
        var printer = SpyTextPrinter(hold: .milliseconds(250))
        let first = await events(capture) {
            capture.ingest([SpyWireMessage.invocation(target: "kv", reply: "_INBOX.c.1", at: t0)], from: .invocations)
        }
        #expect(printer.lines(for: first, now: t0).isEmpty)
        #expect(printer.flush(now: t0 + .milliseconds(100)).isEmpty)
        let pending = printer.flush(now: t0 + .milliseconds(300))
        #expect(pending.count == 1)
        #expect(pending[0].hasSuffix("…"), "\(pending[0])")
        let later = await events(capture) { capture.expire(now: t0 + .seconds(2)) }
        let follow = printer.lines(for: later, now: t0 + .seconds(2))
        #expect(follow.count == 1)
        #expect(follow[0].hasPrefix("  ↳ #0  caller → kv"), "\(follow[0])")
        #expect(follow[0].hasSuffix("✗ timed out"), "\(follow[0])")
        #expect(printer.heldCount == 0 && printer.openCount == 0)
    }

    @Test func callsThatNeverEndAreHeldUpToTheLimitThenPrintedPendingOldestFirst() async {
        let capture = SpyCapture(configuration: SpyConfiguration(replyTimeout: .seconds(60)))
        var printer = SpyTextPrinter(hold: .seconds(60), heldLimit: 3, openLimit: 2)
        let targets = ["a", "b", "c", "d", "e"]
        let evs = await events(capture) {
            for (i, target) in targets.enumerated() {
                capture.ingest([SpyWireMessage.invocation(target: target, reply: "_INBOX.c.\(i)", at: t0 + .milliseconds(i))], from: .invocations)
            }
        }
        // Five calls without replies, three may be held: the two oldest come out at once, pending.
        let lines = printer.lines(for: evs, now: t0)
        #expect(lines.count == 2, "\(lines)")
        #expect(lines.count == 2 && lines[0].contains("caller → a") && lines[1].contains("caller → b"), "\(lines)")
        #expect(lines.allSatisfy { $0.hasSuffix("…") }, "\(lines)")
        #expect(printer.heldCount == 3 && printer.openCount == 2)
        // Past the hold, the rest come out oldest first; only the two newest stay open for follow-ups.
        let rest = printer.flush(now: t0 + .seconds(61))
        #expect(rest.count == 3 && rest[0].contains("caller → c") && rest[2].contains("caller → e"), "\(rest)")
        #expect(printer.heldCount == 0 && printer.openCount == 2)
        // Their outcomes: the forgotten ones get a line of their own, the open ones a follow-up.
        let later = await events(capture) { capture.expire(now: t0 + .seconds(120)) }
        let outcomes = printer.lines(for: later, now: t0 + .seconds(120))
        #expect(outcomes.count == 5, "\(outcomes)")
        #expect(outcomes.filter { $0.hasPrefix("  ↳ ") }.count == 2, "\(outcomes)")
        #expect(printer.heldCount == 0 && printer.openCount == 0)
    }

    @Test func formats() {
        #expect(SpyTextFormat.size(142) == "142 B")
        #expect(SpyTextFormat.size(1536) == "1.5 KiB")
        #expect(SpyTextFormat.size(3 << 20) == "3.0 MiB")
        #expect(SpyTextFormat.latency(.microseconds(850)) == "850 µs")
        #expect(SpyTextFormat.latency(.microseconds(3240)) == "3.2 ms")
        #expect(SpyTextFormat.latency(.milliseconds(142)) == "142 ms")
        #expect(SpyTextFormat.latency(.milliseconds(1250)) == "1.25 s")
        let utc = TimeZone(identifier: "UTC")!
        #expect(ClockText.format(Date(timeIntervalSince1970: 43_201.1234), timeZone: utc, milliseconds: true) == "12:00:01.123")
        let long = PayloadPreview(kind: .text, rendered: String(repeating: "a", count: 50), totalBytes: 50, shownBytes: 50)
        #expect(SpyTextFormat.preview(long, width: 10) == "\"aaaaaaaaaa…\"")
        let cut = PayloadPreview(kind: .text, rendered: "abc", totalBytes: 10, shownBytes: 3)
        #expect(SpyTextFormat.preview(cut) == "\"abc…\"", "payload longer than the preview")
        let hex = PayloadPreview(kind: .hex, rendered: "00 03", totalBytes: 2, shownBytes: 2)
        #expect(SpyTextFormat.preview(hex) == "hex:00 03")
        #expect(SpyTextFormat.preview(PayloadPreview(kind: .empty, rendered: "", totalBytes: 0, shownBytes: 0)) == "(empty)")
        let lines = PayloadPreview(kind: .text, rendered: "a\nb", totalBytes: 3, shownBytes: 3)
        #expect(SpyTextFormat.preview(lines) == "\"a\\nb\"", "one line stays one line")
    }
}
