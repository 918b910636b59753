import EmbeddedNATS
import Foundation
import LatticeClient
import LatticeProtocol
import LatticeSim
import LatticeSpy
import NATSKit
import Testing

/// The spy against the simulated lattice on a real nats-server: the simulator calls over wRPC
/// with `_INBOX.latticesim.…` reply inboxes and answers with a handshake and results 1–15 ms later.
@Suite(.serialized) struct SpySimulatorTests {
    struct Fixture {
        let server: SpyTestServer
        let simulator: LatticeSimulator
        let client: LatticeClient

        static func start() async throws -> Fixture {
            let server = try SpyTestServer()
            let simConnection = try await server.connect("sim")
            let spyConnection = try await server.connect("spy")
            let simulator = LatticeSimulator(connection: simConnection, configuration: .fast())
            try await simulator.start()
            return Fixture(server: server, simulator: simulator,
                           client: LatticeClient(connection: spyConnection, lattice: "default", timeout: .seconds(3)))
        }

        func stop() async {
            await simulator.stop()
            server.stop()
        }
    }

    @Test func latticeWidePairsCallsWithTheirReplies() async throws {
        let f = try await Fixture.start()
        let session = SpySession(client: f.client, scope: .lattice)
        try await session.start()
        #expect(await session.subjects == ["_INBOX.>", "default.*.wrpc.0.0.1.>"])
        let capture = session.capture

        let paired = await eventually { capture.counters.ok >= 12 }
        await session.stop()
        await f.stop()
        #expect(paired, "calls paired: \(capture.counters)")

        let messages = capture.snapshot(limit: 100_000).messages
        let calls = messages.filter { $0.kind == .invocation && $0.outcome == .ok }
        #expect(!calls.isEmpty)
        for call in calls {
            let latency = try #require(call.resultsLatency)
            #expect(latency > .zero && latency < .seconds(10), "\(call.operation): \(latency)")  // plausible, not a speed check
            #expect(call.handshakeLatency.map { $0 <= latency } ?? true)
            #expect(call.reply?.hasPrefix("_INBOX.latticesim.") == true)
        }
        // Providers calling components send target-id; components calling providers send link-name.
        let fromHTTP = try #require(calls.first { $0.source == "rust_hello_world-httpserver" })
        #expect(fromHTTP.target == "rust_hello_world-http_component")
        #expect(fromHTTP.targetID == "rust_hello_world-http_component")
        #expect(fromHTTP.operation == "wasi:http/incoming-handler@0.2.0.handle")
        #expect(fromHTTP.preview.kind == .hex)
        let toKV = try #require(calls.first { $0.target == "rust_http_kv-kvredis" })
        #expect(toKV.source == "rust_http_kv-counter")
        #expect(toKV.rawLinkName == "default")
        #expect(toKV.targetID == nil)
        #expect(toKV.instance == "wasi:keyvalue/atomics@0.2.0-draft")

        // Every reply kept belongs to a kept call; handshakes carry the server inbox.
        let sequences = Set(messages.filter { $0.kind == .invocation }.map(\.sequence))
        for reply in messages where reply.kind != .invocation {
            #expect(sequences.contains(reply.callSequence) || reply.callSequence < messages[0].sequence)
            #expect(reply.source != nil)
        }
        #expect(messages.contains { $0.kind == .handshake && $0.reply?.contains(".srv.") == true })

        let snapshot = capture.snapshot()
        #expect(snapshot.operations.contains { $0.operation == "wasi:http/incoming-handler@0.2.0.handle" && $0.ok > 0 && $0.p99 != nil })
        #expect(snapshot.messagesPerSecond.reduce(0, +) > 0)
        #expect(snapshot.counters.dropped == 0)
        #expect(snapshot.counters.malformed == 0)
    }

    @Test func componentScopeFollowsLinksAndDropsOtherCallers() async throws {
        let f = try await Fixture.start()
        let session = SpySession(client: f.client, scope: .component("rust_http_kv-counter"))
        try await session.start()
        let linked = try await session.refreshLinks()
        #expect(linked == ["rust_http_kv-httpserver", "rust_http_kv-kvredis"])
        #expect(await session.subjects == [
            "_INBOX.>", "default.rust_http_kv-counter.wrpc.0.0.1.>", "default.rust_http_kv-httpserver.wrpc.0.0.1.>",
            "default.rust_http_kv-kvredis.wrpc.0.0.1.>",
        ])
        let capture = session.capture

        // Another component calling the same key-value provider: not the spied component's call.
        let intruder = try await f.server.connect("intruder")
        try intruder.publish("default.rust_http_kv-kvredis.wrpc.0.0.1.wasi:keyvalue/store@0.2.0-draft.get",
                             payload: Data("k".utf8), reply: "_INBOX.intruder.1",
                             headers: ["source-id": "some-other-component", "link-name": "default"])
        try intruder.flush()

        let seen = await eventually {
            let calls = capture.snapshot(limit: 100_000).messages.filter { $0.kind == .invocation && $0.outcome == .ok }
            return calls.contains { $0.target == "rust_http_kv-counter" } && calls.contains { $0.target == "rust_http_kv-kvredis" }
                && capture.counters.foreignCalls >= 1
        }
        await session.stop()
        await f.stop()
        #expect(seen, "\(capture.counters)")
        let invocations = capture.snapshot(limit: 100_000).messages.filter { $0.kind == .invocation }
        for m in invocations {
            #expect(m.attribution == .direct)
            if m.target == "rust_http_kv-counter" {
                #expect(m.source == "rust_http_kv-httpserver")
            } else {
                #expect(m.source == "rust_http_kv-counter", "\(m.source ?? "-") → \(m.target)")
            }
        }
        #expect(!invocations.contains { $0.source == "some-other-component" })
        #expect(capture.counters.foreignCalls == 1)
    }

    @Test func linksAddedLaterArePickedUpOnRefresh() async throws {
        let f = try await Fixture.start()
        let session = SpySession(client: f.client, scope: .component("echo-messaging"))
        try await session.start()
        #expect(try await session.refreshLinks() == ["nats-messaging"])
        try await f.client.putLink(Link(sourceID: "echo-messaging", target: "rust_http_kv-kvredis", witNamespace: "wasi",
                                        witPackage: "keyvalue", interfaces: ["store"]))
        #expect(try await session.refreshLinks() == ["nats-messaging", "rust_http_kv-kvredis"])
        #expect(await session.subjects.contains("default.rust_http_kv-kvredis.wrpc.0.0.1.>"))
        await session.stop()
        await f.stop()
    }

    @Test func invalidComponentIDIsRefused() async throws {
        let server = try SpyTestServer()
        let c = try await server.connect("spy")
        let session = SpySession(connection: c, lattice: "default", scope: .component("bad.id"))
        await #expect(throws: SpyError.self) { try await session.start() }
        server.stop()
    }
}
