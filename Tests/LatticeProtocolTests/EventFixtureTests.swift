import Foundation
import Testing
import LatticeProtocol

@Suite struct EventFixtureTests {
    static let hostA = "NUJZDEGXDNCF32EPF3DHODZDOCIS2JHTLGMXGEDN73U55XTPLPFT7V4S"

    func constructedEvents() throws -> [JSONValue] {
        try #require(try SharedFixtures.json("v1-constructed/events-v1.9.json").arrayValue)
    }

    /// Every constructed v1.9 event decodes to a known type and re-encodes to exactly the same JSON.
    @Test func constructedEventsRoundTripExactly() throws {
        let events = try constructedEvents()
        #expect(events.count == 20)
        var types = Set<LatticeEventType>()
        for (index, value) in events.enumerated() {
            let event = try LatticeEventDecoder.decode(value.bytes()).get()
            let type = try #require(event.knownType, "event \(index) has unknown type \(event.type)")
            types.insert(type)
            #expect(event.type == value["type"]?.stringValue)
            #expect(event.date != nil, "event \(index) time did not parse")
            #expect(event.hostID == value["source"]?.stringValue, "event \(index)")
            #expect(try jsonValue(event.encoded()) == value, "event \(index) (\(event.type)) does not re-encode to the fixture")
        }
        #expect(types == Set(LatticeEventType.allCases.filter { !$0.isWadmEvent }), "all 17 host event types")
    }

    @Test func constructedEventValues() throws {
        let events = try constructedEvents().map { try LatticeEventDecoder.decode($0.bytes()).get() }
        guard case .hostStarted(let started) = events[0].payload else { Issue.record("first is not host_started"); return }
        #expect(started.friendlyName == "quiet-meadow-4821")
        #expect(started.version == "1.9.2")
        #expect(events[0].date == Date(timeIntervalSince1970: 1_748_779_200.5))

        guard case .componentScaled(let signed) = events[4].payload else { Issue.record("5th is not component_scaled"); return }
        #expect(signed.hostID == "NEH2KVJ72CEUVW75EFR6EDT4SYWB5WKH7DNSIPZZ7FK4ZRI3R2WYOJFL")
        #expect(signed.maxInstances == 4)
        #expect(signed.claims?.revision == 3)
        #expect(signed.claims?.callAlias == nil)
        #expect(signed.publicKey == "MGVQ6KBNXJBTFQXKWOVOMPZOM7WBBR6QMW4WXFOGO6MVN6A6WFHYM6L3")

        let deletes = events.compactMap { event -> LinkDefDeletedEvent? in
            if case .linkdefDeleted(let e) = event.payload { return e }
            return nil
        }
        #expect(deletes.map(\.target) == ["rust_hello_world-http_component", nil])

        guard case .linkdefSetFailed(let failed) = events[7].payload else { Issue.record("8th is not linkdef_set_failed"); return }
        #expect(failed.link.target == "rust_http_kv-kvredis")
        #expect(failed.error.hasPrefix("Failed to validate configuration"))

        guard case .hostHeartbeat(let heartbeat) = events[9].payload else { Issue.record("10th is not a heartbeat"); return }
        #expect(heartbeat.uptimeSeconds == 30)
        #expect(heartbeat.providers.map(\.id) == ["rust_hello_world-httpserver"])

        let scaledToZero = events.last { if case .componentScaled(let e) = $0.payload { e.maxInstances == 0 } else { false } }
        #expect(scaledToZero?.id == "01972b5e-0740-01f3-8ed5-f03644f758cd")
    }

    /// The 17 upstream wadm test events (mixed 0.8x/1.0 eras). Observed split: 17 decoded,
    /// 0 unsupported. Why none is unsupported: each carries the identity keys the 1.x shape
    /// requires (`component_id`+`max_instances`, `provider_id`, link keys, `config_name`, the
    /// inventory lists); the era differences are only extra keys (`issuer`, `caps`), different
    /// values (`reason: "normal"`, `not_before_human: "immediately"`) or missing keys that have a
    /// defined default (`host_started` without `version`/`uptime_seconds`, `provider_start_failed`
    /// without `host_id` → envelope `source`).
    @Test func upstreamWadmEventsSplit() throws {
        let values = try #require(try SharedFixtures.json("upstream/wadm/tests_fixtures_manifests_events.json").arrayValue)
        #expect(values.count == 17)
        var decoded: [LatticeEvent] = []
        var unsupported: [(type: String, reason: String, raw: Data)] = []
        for value in values {
            let raw = try value.bytes()
            switch LatticeEventDecoder.decode(raw) {
            case .success(let event): decoded.append(event)
            case .failure(.unsupported(let type, let reason, let keptRaw)):
                #expect(keptRaw == raw)
                unsupported.append((type, reason, keptRaw))
            case .failure(let other): Issue.record("not even a CloudEvent: \(other)")
            }
        }
        #expect(decoded.count == 17)
        #expect(unsupported.count == 0, "unexpectedly unsupported: \(unsupported.map { "\($0.type): \($0.reason)" })")
        #expect(decoded.filter { $0.knownType == nil }.isEmpty)
        #expect(Set(decoded.compactMap(\.knownType)).count == 17, "17 distinct types")

        func first(_ type: LatticeEventType) throws -> LatticeEvent {
            try #require(decoded.first { $0.knownType == type })
        }
        // 0.x provider_start_failed has no host_id: falls back to the envelope source.
        guard case .providerStartFailed(let startFailed) = try first(.providerStartFailed).payload else { return }
        #expect(startFailed.hostID == "NBPNYTVN27FQIEUI6M5L7I4MAJONGNB3E3JUZHQCMYI4JOHQKNKPN5SG")
        #expect(startFailed.linkName == nil)
        #expect(startFailed.providerRef == "wasmcloud.azurecr.io/httpserver")
        // 0.82 heartbeat, with `issuer` ignored.
        guard case .hostHeartbeat(let heartbeat) = try first(.hostHeartbeat).payload else { return }
        #expect(heartbeat.version == "0.82.0")
        #expect(heartbeat.components.first?.name == "http-hello-world")
        // 2023 host_started: no version, no uptime.
        guard case .hostStarted(let started) = try first(.hostStarted).payload else { return }
        #expect(started.version == nil)
        #expect(started.friendlyName == "holy-wildflower-2227")
        guard case .providerStopped(let stopped) = try first(.providerStopped).payload else { return }
        #expect(stopped.reason == "normal")
        guard case .componentScaled(let scaled) = try first(.componentScaled).payload else { return }
        #expect(scaled.claims?.notBeforeHuman == "TODO")
        #expect(scaled.claims?.tags == [])
        #expect(scaled.maxInstances == 10)
        guard case .manifestPublished(let manifest) = try first(.manifestPublished).payload else { return }
        #expect(manifest.name == "my-example-app")
        #expect(manifest.version == "v0.0.1")
        #expect(try first(.manifestPublished).hostID == nil)
        guard case .manifestUnpublished(let unpublished) = try first(.manifestUnpublished).payload else { return }
        #expect(unpublished.name == "foobar")
    }

    @Test func wadmFixtureEvent() throws {
        let value = try #require(try SharedFixtures.json("v1-constructed/wadm-api.json")["wadm.evt.{lattice}.manifest_unpublished event"])
        let event = try LatticeEventDecoder.decode(value.bytes()).get()
        #expect(event.payload == .manifestUnpublished(ManifestUnpublishedEvent(name: "rust-http-kv")))
        #expect(event.subject(lattice: "default") == "wadm.evt.default.manifest_unpublished")
        #expect(try jsonValue(event.encoded()) == value)
    }
}
