import Foundation
import LatticeProtocol
import LatticeSpy
import Testing

/// Every message of `v1-constructed/wrpc-invocation.json` through the spy's decoder and pairing.
@Suite struct SpyFixtureDecodingTests {
    struct FixtureMessage {
        let key: String
        let wire: SpyWireMessage
        let fullPayload: Data
    }

    static func load() throws -> (file: JSONValue, messages: [FixtureMessage]) {
        let file = try SharedFixtures.json("v1-constructed/wrpc-invocation.json")
        var messages: [FixtureMessage] = []
        for (key, value) in try #require(file.objectValue).sorted(by: { $0.key < $1.key }) {
            guard let subject = value["subject"]?.stringValue else { continue }
            var base64 = value["payload_base64"]?.stringValue ?? ""
            if base64.hasSuffix("...") { base64.removeLast(3) }   // the fixture marks cut payloads so
            let payload = try #require(Data(base64Encoded: base64), "\(key): payload is not base64")
            let headers = (value["headers"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
            messages.append(FixtureMessage(
                key: key, wire: SpyWireMessage(subject: subject, reply: value["reply"]?.stringValue, headers: headers, payload: payload),
                fullPayload: payload))
        }
        return (file, messages)
    }

    @Test func everyFixtureMessageDecodes() throws {
        let (_, messages) = try Self.load()
        #expect(messages.count == 3)
        var decoder = SpyDecoder()
        for m in messages {
            if WRPCSubject(parsing: m.wire.subject) != nil {
                let batch = decoder.decode([m.wire], from: .invocations)
                #expect(batch.count == 1, "\(m.key)")
                #expect(batch.malformed == 0, "\(m.key)")
            } else {
                #expect(m.wire.subject.hasPrefix("_INBOX."), "\(m.key)")
                #expect(decoder.decode([m.wire], from: .invocations).malformed == 1, "\(m.key): not an invocation subject")
                #expect(decoder.decode([m.wire], from: .inboxes).count == 1, "\(m.key)")
            }
        }
    }

    @Test func providerToComponent() throws {
        let (_, messages) = try Self.load()
        let wire = try #require(messages.first { $0.key == "provider_to_component" }).wire
        let capture = SpyCapture()
        capture.ingest([wire], from: .invocations)
        let m = try #require(capture.snapshot().messages.first)
        #expect(m.kind == .invocation)
        #expect(m.subject == wire.subject)
        #expect(m.lattice == "default")
        #expect(m.target == "rust_hello_world-http_component")
        #expect(m.instance == "wasi:http/incoming-handler@0.2.0")
        #expect(m.function == "handle")
        #expect(m.operation == "wasi:http/incoming-handler@0.2.0.handle")
        #expect(m.source == "rust_hello_world-httpserver")
        #expect(m.targetID == "rust_hello_world-http_component")
        #expect(m.rawLinkName == nil)
        #expect(m.linkName == "default")
        #expect(m.reply == "_INBOX.9fK2pQm7Xc1Lr8sT0aZbWd.Yv3nH6jE")
        #expect(m.size == 6)
        #expect(m.preview.kind == .hex)
        #expect(m.preview.rendered == "00 03 47 45 54 01")
        #expect(!m.preview.isTruncated)
        #expect(m.outcome == .pending)
        #expect(m.attribution == .direct)
        #expect(m.headers == WRPCHeaders(sourceID: "rust_hello_world-httpserver", targetID: "rust_hello_world-http_component"))
    }

    @Test func componentToProviderKeepsTraceparentAndShowsBinaryAsHex() throws {
        let (_, messages) = try Self.load()
        let wire = try #require(messages.first { $0.key == "component_to_provider" }).wire
        let capture = SpyCapture(scope: .component("rust_http_kv-counter"))
        capture.ingest([wire], from: .invocations)
        let m = try #require(capture.snapshot().messages.first)
        #expect(m.target == "rust_http_kv-kvredis")
        #expect(m.instance == "wasi:keyvalue/store@0.2.0-draft")
        #expect(m.function == "open")
        #expect(m.source == "rust_http_kv-counter")
        #expect(m.rawLinkName == "default")
        #expect(m.traceparent == "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        // wash spy prints this payload as lossy UTF-8 ("\u{7}default"); the BEL byte makes it hex here.
        #expect(m.preview.kind == .hex)
        #expect(m.preview.rendered == "07 64 65 66 61 75 6c 74")
        // Made by the spied component on its link target's subject: credited to it.
        #expect(m.attribution == .direct)
    }

    @Test func callOnSharedProviderByAnotherComponentIsNotCredited() throws {
        let (_, messages) = try Self.load()
        let wire = try #require(messages.first { $0.key == "component_to_provider" }).wire
        // wash spy would show this call as made by the spied component (mis-attribution).
        let dropping = SpyCapture(scope: .component("some-other-component"))
        dropping.ingest([wire], from: .invocations)
        #expect(dropping.snapshot().messages.isEmpty)
        #expect(dropping.counters.foreignCalls == 1)

        let marking = SpyCapture(configuration: SpyConfiguration(foreignCalls: .mark), scope: .component("some-other-component"))
        marking.ingest([wire], from: .invocations)
        let m = try #require(marking.snapshot().messages.first)
        #expect(m.attribution == .foreign)
        #expect(marking.snapshot().operations.isEmpty, "foreign calls stay out of the statistics")
    }

    @Test func handshakeParamsAndResultsPairWithTheInvocation() throws {
        let (file, messages) = try Self.load()
        let invocation = try #require(messages.first { $0.key == "provider_to_component" }).wire
        let handshake = try #require(messages.first { $0.key == "handshake_reply_from_server" }).wire
        let later = try #require(file["later_traffic_not_seen_by_spy"]?.arrayValue).compactMap(\.stringValue)
        let params = try #require(later.first { $0.hasSuffix(".params") })
        let results = try #require(later.first { $0.hasSuffix(".results") })

        let capture = SpyCapture()
        let start = ContinuousClock.now
        var inv = invocation
        inv.receivedAt = start
        var hs = handshake
        hs.receivedAt = start + .milliseconds(1)
        capture.ingest([inv], from: .invocations)
        capture.ingest([hs], from: .inboxes)
        capture.ingest([SpyWireMessage(subject: params, payload: Data([1, 2, 3]), receivedAt: start + .milliseconds(2))], from: .inboxes)
        capture.ingest([SpyWireMessage(subject: results, payload: Data([0, 1]), receivedAt: start + .milliseconds(5))], from: .inboxes)

        let all = capture.snapshot().messages
        #expect(all.map(\.kind) == [.invocation, .handshake, .params, .results])
        #expect(all.allSatisfy { $0.callSequence == all[0].sequence })
        #expect(all.allSatisfy { $0.source == "rust_hello_world-httpserver" && $0.target == "rust_hello_world-http_component" })
        #expect(all[1].subject == "_INBOX.9fK2pQm7Xc1Lr8sT0aZbWd.Yv3nH6jE")
        #expect(all[1].reply == "_INBOX.Hh3Gg2Ff1Dd0Ss9Aa8Pp7O.Ii6Uu5Yy")
        #expect(all[1].preview.kind == .empty)
        #expect(all[2].subject == params)
        let call = all[0]
        #expect(call.outcome == .ok)
        #expect(call.handshakeLatency == .milliseconds(1))
        #expect(call.resultsLatency == .milliseconds(5))
        #expect(capture.counters.ok == 1)
        #expect(capture.counters.unmatchedReplies == 0)
        #expect(capture.counters.pending == 0)
    }
}
