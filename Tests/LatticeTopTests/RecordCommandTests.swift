import EmbeddedNATS
import Foundation
import LatticeProtocol
import LatticeSim
import NATSKit
import NATSTestSupport
import Testing
@testable import LatticeTop

/// The recorder's name, subjects and limits, pure.
@Suite struct RecorderStreamTests {
    @Test func theLatticeNameIsMadeAValidStreamName() {
        #expect(RecorderStream(lattice: "default").name == "LATTICETOP_EVENTS_default")
        #expect(RecorderStream(lattice: "prod.eu/1 >*\\x").name == "LATTICETOP_EVENTS_prod_eu_1____x")
        #expect(RecorderStream(lattice: "prod-eu").hostEvents == "wasmbus.evt.prod-eu.>")
        #expect(RecorderStream(lattice: "prod-eu").wadmEvents == "wadm.evt.prod-eu.>")
    }

    @Test func subjectCoverage() {
        #expect(RecorderStream.covers("wasmbus.evt.*.>", "wasmbus.evt.default.>"))
        #expect(RecorderStream.covers("wasmbus.evt.>", "wasmbus.evt.default.>"))
        #expect(RecorderStream.covers("wasmbus.evt.default.>", "wasmbus.evt.default.>"))
        #expect(!RecorderStream.covers("wasmbus.evt.other.>", "wasmbus.evt.default.>"))
        #expect(!RecorderStream.covers("wasmbus.evt.*.host_started", "wasmbus.evt.default.>"))
        #expect(!RecorderStream.covers("wadm.evt.*.>", "wasmbus.evt.default.>"))
    }

    /// A subject another stream (wadm's) already captures is copied from it, not claimed again.
    @Test func overlappingSubjectsAreSourcedFromTheStreamThatHasThem() {
        let r = RecorderStream(lattice: "default")
        let c = r.configuration(includeWadm: true, existing: ["wasmbus_events": ["wasmbus.evt.*.>"]],
                                maxAge: .seconds(3600), maxBytes: 1 << 20, replicas: 3)
        #expect(c.subjects == ["wadm.evt.default.>"])
        #expect(c.sources == [.init(stream: "wasmbus_events", filterSubject: "wasmbus.evt.default.>")])
        #expect(c.replicas == 3 && c.maxBytes == 1 << 20 && c.maxAge == .seconds(3600))
        let plain = r.configuration(includeWadm: false, existing: [:], maxAge: .zero, maxBytes: -1, replicas: 1)
        #expect(plain.subjects == ["wasmbus.evt.default.>"] && plain.sources.isEmpty)
    }

    @Test func sizesAndDurations() {
        #expect(RecorderStream.parseDuration("24h") == .seconds(86_400))
        #expect(RecorderStream.parseDuration("1h30m") == .seconds(5400))
        #expect(RecorderStream.parseDuration("7d") == .seconds(604_800))
        #expect(RecorderStream.parseDuration("0") == .zero)
        #expect(RecorderStream.parseDuration("5x") == nil)
        #expect(RecorderStream.parseDuration("h") == nil)
        #expect(RecorderStream.parseDuration("10") == nil, "a unit is required")
        #expect(RecorderStream.parseBytes("256MiB") == 268_435_456)
        #expect(RecorderStream.parseBytes("1GiB") == 1_073_741_824)
        #expect(RecorderStream.parseBytes("500MB") == 500_000_000)
        #expect(RecorderStream.parseBytes("-1") == -1)
        #expect(RecorderStream.parseBytes("lots") == nil)
        #expect(RecorderStream.formatBytes(268_435_456) == "256 MiB")
        #expect(RecorderStream.formatBytes(1536) == "1.5 KiB")
        #expect(RecorderStream.formatDuration(.seconds(86_400)) == "24h")
        #expect(RecorderStream.formatDuration(.seconds(5400)) == "1h30m")
        #expect(RecorderStream.formatDuration(.zero) == "unlimited")
    }
}

/// `latticetop record` (the real binary) against real nats-server processes with JetStream: one
/// server, a JetStream domain, a 3-node JetStream cluster with 3 replicas, and wadm's own stream.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct RecordCommandTests {
    static func run(_ args: [String], environment: [String: String] = [:]) throws -> GetCommandTests.Run {
        try GetCommandTests.run(args, environment: environment)
    }

    /// A lattice event as a host publishes it (enough for the recorder: it stores bytes).
    static func publishEvent(_ connection: NATSConnection, lattice: String = "default", type: String = "provider_start_failed") throws {
        let body = #"{"specversion":"1.0","id":"\#(UUID().uuidString.lowercased())","type":"com.wasmcloud.lattice.\#(type)","source":"NTEST","datacontenttype":"application/json","time":"2026-12-04T20:00:00Z","data":{"provider_id":"p","provider_ref":"r","error":"e","link_name":"default"}}"#
        try connection.publish("wasmbus.evt.\(lattice).\(type)", payload: Data(body.utf8))
        try connection.flush()
    }

    @Test func createStatusUpdateAndDeleteOnOneServer() async throws {
        try await LatticeFixture.using() { f in
            let url = ["--nats-url", f.server.url]
            let created = try Self.run(["record", "--max-age", "1h", "--max-bytes", "64MiB"] + url)
            #expect(created.status == 0, "\(created.stderr)")
            #expect(created.stdout.contains("created stream LATTICETOP_EVENTS_default"), "\(created.stdout)")
            #expect(created.stdout.contains("wasmbus.evt.default.>, wadm.evt.default.>"), "the simulated wadm answers: \(created.stdout)")
            #expect(created.stdout.contains("max age 1h, max bytes 64 MiB, replicas 1"))
            let streams = try NATSStreams(f.connection)
            let info = try #require(try await streams.info("LATTICETOP_EVENTS_default"))
            #expect(info.configuration.subjects == ["wasmbus.evt.default.>", "wadm.evt.default.>"])
            #expect(info.configuration.maxBytes == 64 << 20)
            #expect(info.configuration.maxAge == .seconds(3600))

            // It records what the lattice publishes.
            await f.simulator.trigger(.failedStart)
            #expect(await eventually { ((try? await streams.info("LATTICETOP_EVENTS_default"))??.messages ?? 0) > 0 })
            let status = try Self.run(["record", "--status"] + url)
            #expect(status.status == 0, "\(status.stderr)")
            #expect(status.stdout.firstMatch(of: /messages   [1-9]/) != nil, "\(status.stdout)")
            #expect(status.stdout.firstMatch(of: /first      20\d\d-\d\d-\d\dT/) != nil, "\(status.stdout)")
            #expect(status.stdout.firstMatch(of: /last       20\d\d-\d\d-\d\dT/) != nil, "\(status.stdout)")

            let updated = try Self.run(["record", "--max-age", "2h"] + url)
            #expect(updated.status == 0, "\(updated.stderr)")
            #expect(updated.stdout.contains("updated stream LATTICETOP_EVENTS_default"))
            #expect(try await streams.info("LATTICETOP_EVENTS_default")?.configuration.maxAge == .seconds(7200))
            #expect((try await streams.info("LATTICETOP_EVENTS_default")?.messages ?? 0) > 0, "an update keeps what was recorded")

            // Without a terminal to confirm on and without --yes, nothing is deleted.
            let refused = try Self.run(["record", "--delete"] + url)
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("add --yes"), "\(refused.stderr)")
            #expect(try await streams.info("LATTICETOP_EVENTS_default") != nil)
            let deleted = try Self.run(["record", "--delete", "--yes"] + url)
            #expect(deleted.status == 0, "\(deleted.stderr)")
            #expect(try await streams.info("LATTICETOP_EVENTS_default") == nil)
            let none = try Self.run(["record", "--status"] + url)
            #expect(none.status == 1)
            #expect(none.stderr.split(separator: "\n").count == 1)
            #expect(none.stderr.contains("no flight recorder on lattice default"), "\(none.stderr)")

            let bad = try Self.run(["record", "--replicas", "9"] + url)
            #expect(bad.status != 0 && bad.stderr.contains("--replicas must be 1 to 5"))
        }
    }

    @Test func withoutJetStreamItSaysSo() throws {
        let server = try TestServers.start()
        defer { server.stop() }
        let r = try Self.run(["record", "--nats-url", server.url, "--timeout", "1000"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("JetStream does not answer"), "\(r.stderr)")
    }

    @Test func onAJetStreamDomain() async throws {
        let store = FileManager.default.temporaryDirectory.appendingPathComponent("lt-jsdomain-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: store) }
        let server = try TestServers.start(config: "jetstream { store_dir: \"\(store.path)\", domain: edge }")
        defer { server.stop() }
        let r = try Self.run(["record", "--nats-url", server.url, "--timeout", "1000"], environment: ["WASMCLOUD_JS_DOMAIN": "edge"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("(JetStream domain edge)"), "\(r.stdout)")
        let connection = try await TestServers.connect(server)
        defer { connection.close() }
        #expect(try await NATSStreams(connection, domain: "edge").info("LATTICETOP_EVENTS_default") != nil)
        let wrong = try Self.run(["record", "--status", "--js-domain", "elsewhere", "--nats-url", server.url, "--timeout", "1000"])
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("JetStream does not answer"), "\(wrong.stderr)")
    }

    /// Three replicas on a 3-node JetStream cluster; an event published on one node is recorded
    /// and seen from another.
    @Test func threeReplicasOnAJetStreamCluster() async throws {
        let cluster = try TestCluster(size: 3, jetStream: true)
        defer { cluster.stop() }
        try await cluster.waitForRoutes()
        // The cluster elects its JetStream meta leader after the routes are up: retry until then.
        var created = try Self.run(["record", "--replicas", "3", "--nats-url", cluster.urls[0], "--timeout", "1000"])
        let deadline = ContinuousClock.now + .seconds(30)
        while created.status != 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(500))
            created = try Self.run(["record", "--replicas", "3", "--nats-url", cluster.urls[0], "--timeout", "1000"])
        }
        #expect(created.status == 0, "\(created.stderr)")
        let out = created.stdout
        #expect(out.contains("replicas 3"), "\(out)")
        #expect(out.contains("cluster    "), "\(out)")
        #expect(out.contains("wadm.evt is not recorded"), "no wadm here: \(out)")
        let publisher = try await NATSConnection.connect(TestServers.options([cluster.urls[2]], name: "host"))
        defer { publisher.close() }
        try Self.publishEvent(publisher)
        let reader = try await NATSConnection.connect(TestServers.options([cluster.urls[1]], name: "reader"))
        defer { reader.close() }
        let streams = try NATSStreams(reader)
        #expect(await eventually { ((try? await streams.info("LATTICETOP_EVENTS_default"))??.messages ?? 0) == 1 })
        let info = try #require(try await streams.info("LATTICETOP_EVENTS_default"))
        #expect(info.configuration.replicas == 3)
        #expect(info.leader != nil)
    }

    /// wadm keeps `wasmbus_events` on `wasmbus.evt.*.>`; JetStream refuses a second stream on the
    /// same subjects, so the recorder copies from it (and keeps what wadm's 70 s window drops).
    @Test func copiesFromWadmsStreamWhenItExists() async throws {
        let server = try TestServers.start(jetStream: true)
        defer { server.stop() }
        let connection = try await TestServers.connect(server)
        defer { connection.close() }
        let streams = try NATSStreams(connection)
        _ = try await streams.createOrUpdate(NATSStreamConfiguration(name: "wasmbus_events", subjects: ["wasmbus.evt.*.>"],
                                                                     maxAge: .seconds(70)))
        let r = try Self.run(["record", "--nats-url", server.url, "--timeout", "1000"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("wasmbus.evt.default.> (copied from stream wasmbus_events)"), "\(r.stdout)")
        try Self.publishEvent(connection)
        try Self.publishEvent(connection, lattice: "other")
        #expect(await eventually { ((try? await streams.info("LATTICETOP_EVENTS_default"))??.messages ?? 0) == 1 })
        #expect(try await streams.info("wasmbus_events")?.messages == 2, "both lattices in wadm's, only ours in the recorder")
    }
}
