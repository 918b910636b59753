import Foundation
import LatticeProtocol
import LatticeSpy
import Testing

@Suite struct SpyNDJSONTests {
    @Test func saveAndReadBack() throws {
        let t0 = ContinuousClock.now
        let capture = SpyCapture(configuration: SpyConfiguration(previewBytes: 8, rawTailMessages: 2))
        capture.ingest([
            SpyWireMessage.invocation(target: "kv", reply: "_INBOX.c.1", payload: "an older long payload", at: t0),
            SpyWireMessage(subject: "default.hello.wrpc.0.0.1.wasi:http/incoming-handler@0.2.0.handle", reply: "_INBOX.c.2",
                           headers: ["source-id": "httpserver", "target-id": "hello", "traceparent": "00-abc-def-01"],
                           payload: Data([0, 3, 0x47, 0x45, 0x54, 0xff]), receivedAt: t0),
        ], from: .invocations)
        capture.ingest([SpyWireMessage(subject: "_INBOX.c.2.results", payload: Data("done".utf8), receivedAt: t0 + .milliseconds(3))],
                       from: .inboxes)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("spy-\(UUID().uuidString).ndjson")
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try capture.save(to: url) == 3)

        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 3, "one object per line")
        let records = try SpyNDJSON.read(contentsOf: url)
        let messages = capture.snapshot().messages
        #expect(records == messages.map { SpyRecord($0, detail: capture.detail(sequence: $0.sequence)) })

        let old = records[0]
        #expect(old.kind == .invocation)
        #expect(old.payloadBase64 == nil, "not among the 2 most recent: only its prefix")
        #expect(old.truncated)
        #expect(old.payload == Data("an older".utf8))
        #expect(old.preview == "an older")
        #expect(old.size == 21)
        #expect(old.outcome == .pending)

        let call = records[1]
        #expect(call.payloadBase64 == Data([0, 3, 0x47, 0x45, 0x54, 0xff]).base64EncodedString())
        #expect(!call.truncated)
        #expect(call.headers?["traceparent"] == ["00-abc-def-01"])
        #expect(call.previewKind == .hex)
        #expect(call.source == "httpserver" && call.targetID == "hello" && call.linkName == nil)
        #expect(call.instance == "wasi:http/incoming-handler@0.2.0" && call.function == "handle")
        #expect(call.outcome == .ok)
        #expect(call.resultsMs == 3)
        #expect(call.reply == "_INBOX.c.2")
        #expect(RFC3339.parse(call.time) != nil)

        let results = records[2]
        #expect(results.kind == .results && results.call == call.sequence && results.subject == "_INBOX.c.2.results")

        // Encoding is stable: the lines we read re-encode to the same bytes.
        let again = try records.map(SpyNDJSON.line).joined(separator: "\n") + "\n"
        #expect(again == text)
    }

    @Test func readIgnoresBlankLinesAndRejectsGarbage() throws {
        let capture = SpyCapture()
        capture.ingest([SpyWireMessage.invocation(target: "kv", reply: nil)], from: .invocations)
        let line = try SpyNDJSON.line(SpyRecord(try #require(capture.snapshot().messages.first)))
        #expect(try SpyNDJSON.read(Data("\n\(line)\n\n".utf8)).count == 1)
        #expect(throws: (any Error).self) { try SpyNDJSON.read(Data("{not json}\n".utf8)) }
    }

    @Test func filteredSave() throws {
        let capture = SpyCapture()
        capture.ingest([SpyWireMessage.invocation(target: "kv", function: "get", reply: nil),
                        SpyWireMessage.invocation(target: "kv", function: "set", reply: nil)], from: .invocations)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("spy-\(UUID().uuidString).ndjson")
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try capture.save(to: url, filter: try SpyFilter("^set$")) == 1)
        #expect(try SpyNDJSON.read(contentsOf: url).map(\.function) == ["set"])
    }
}
