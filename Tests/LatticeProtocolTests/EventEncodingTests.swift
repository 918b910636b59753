import Foundation
import Testing
import LatticeProtocol

@Suite struct EventEncodingTests {
    static let host = "NUJZDEGXDNCF32EPF3DHODZDOCIS2JHTLGMXGEDN73U55XTPLPFT7V4S"
    static let link = Link(sourceID: "s", target: "t", witNamespace: "wasi", witPackage: "http", interfaces: ["incoming-handler"])

    /// One payload per known type, with the exact `data` keys §2.3 lists.
    static let samples: [(LatticeEventPayload, Set<String>)] = [
        (.hostStarted(HostStartedEvent(friendlyName: "f", labels: ["a": "b"], version: "1.9.2")),
         ["friendly_name", "labels", "uptime_seconds", "version"]),
        (.hostStopped(HostStoppedEvent(labels: [:])), ["labels"]),
        (.hostHeartbeat(HostInventory(components: [], providers: [], hostID: host, friendlyName: "f", labels: [:],
                                      version: "1.9.2", uptimeHuman: "30s", uptimeSeconds: 30)),
         ["components", "providers", "host_id", "friendly_name", "labels", "version", "uptime_human", "uptime_seconds"]),
        (.labelsChanged(LabelsChangedEvent(hostID: host, labels: ["x": "y"])), ["host_id", "labels"]),
        (.componentScaled(ComponentScaledEvent(hostID: host, imageRef: "r", maxInstances: 2, componentID: "c")),
         ["annotations", "host_id", "image_ref", "max_instances", "component_id"]),
        (.componentScaleFailed(ComponentScaleFailedEvent(componentID: "c", hostID: host, imageRef: "r", maxInstances: 1, error: "e")),
         ["annotations", "component_id", "host_id", "image_ref", "max_instances", "error"]),
        (.providerStarted(ProviderStartedEvent(hostID: host, imageRef: "r", providerID: "p")),
         ["host_id", "image_ref", "provider_id", "annotations"]),
        (.providerStartFailed(ProviderStartFailedEvent(providerRef: "r", providerID: "p", hostID: host, error: "e")),
         ["provider_ref", "provider_id", "host_id", "error", "link_name"]),
        (.providerStopped(ProviderStoppedEvent(hostID: host, providerID: "p")),
         ["host_id", "provider_id", "annotations", "reason"]),
        (.healthCheckPassed(HealthCheckEvent(hostID: host, providerID: "p")), ["host_id", "provider_id"]),
        (.healthCheckFailed(HealthCheckEvent(hostID: host, providerID: "p")), ["host_id", "provider_id"]),
        (.healthCheckStatus(HealthCheckEvent(hostID: host, providerID: "p")), ["host_id", "provider_id"]),
        (.linkdefSet(link),
         ["source_id", "target", "name", "wit_namespace", "wit_package", "interfaces", "source_config", "target_config"]),
        (.linkdefSetFailed(LinkDefSetFailedEvent(link: link, error: "e")),
         ["source_id", "target", "name", "wit_namespace", "wit_package", "interfaces", "source_config", "target_config", "error"]),
        (.linkdefDeleted(LinkDefDeletedEvent(removed: link)),
         ["source_id", "name", "wit_namespace", "wit_package", "target", "interfaces"]),
        (.configSet(ConfigEvent(configName: "c")), ["config_name"]),
        (.configDeleted(ConfigEvent(configName: "c")), ["config_name"]),
        (.manifestPublished(ManifestPublishedEvent(manifest: .object(["metadata": .object(["name": .string("app")])]))), ["metadata"]),
        (.manifestUnpublished(ManifestUnpublishedEvent(name: "app")), ["name"]),
    ]

    @Test func everyPayloadEncodesTheWireShapeAndRoundTrips() throws {
        #expect(Set(Self.samples.compactMap { $0.0.knownType }) == Set(LatticeEventType.allCases))
        let time = Date(timeIntervalSince1970: 1_748_779_200.5)
        for (payload, keys) in Self.samples {
            let source = payload.knownType?.isWadmEvent == true ? "wadm" : Self.host
            let event = LatticeEvent.make(payload, source: source, time: time)
            let data = try event.encoded()
            let json = try jsonValue(data)
            #expect(try topLevelKeys(data) == ["specversion", "id", "type", "source", "datacontenttype", "time", "data"])
            #expect(json["specversion"] == .string("1.0"))
            #expect(json["datacontenttype"] == .string("application/json"))
            #expect(json["time"] == .string("2025-06-01T12:00:00.500000Z"))
            #expect(json["type"] == .string(payload.type))
            #expect(Set(json["data"]?.objectValue?.keys.map { $0 } ?? []) == keys, "\(payload.type)")
            #expect(try LatticeEventDecoder.decode(data).get() == event, "\(payload.type) does not round-trip")
        }
    }

    @Test func makeProducesSortableUUIDFormattedIDs() throws {
        let early = LatticeEvent.make(.configSet(ConfigEvent(configName: "a")), source: Self.host, time: Date(timeIntervalSince1970: 1_748_779_200))
        let late = LatticeEvent.make(.configSet(ConfigEvent(configName: "a")), source: Self.host, time: Date(timeIntervalSince1970: 1_748_779_200.002))
        let pattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
        #expect(early.id.wholeMatch(of: pattern) != nil)
        #expect(early.id < late.id)
        #expect(early.id.hasPrefix("01972b5c-ee00"), "48-bit millisecond prefix of 2025-06-01T12:00:00Z")
        #expect(UUID(uuidString: early.id) != nil)
        #expect(LatticeEvent.make(.configSet(ConfigEvent(configName: "a")), source: "s", id: "fixed").id == "fixed")
        #expect(early.subject(lattice: "default") == "wasmbus.evt.default.config_set")
        #expect(early.hostID == Self.host)
    }

    @Test func unknownTypesAreKeptRaw() throws {
        let json = #"{"specversion":"1.0","id":"x","type":"com.wasmcloud.lattice.actor_started","source":"N1","time":"bogus","data":{"public_key":"M1","n":[1,2.5,null,true]}}"#
        let event = try LatticeEventDecoder.decode(Data(json.utf8)).get()
        guard case .unknown(let type, let raw) = event.payload else { Issue.record("not .unknown"); return }
        #expect(type == "com.wasmcloud.lattice.actor_started")
        #expect(try jsonValue(raw) == .object(["public_key": .string("M1"), "n": .array([.int(1), .double(2.5), .null, .bool(true)])]))
        #expect(event.time == "bogus")
        #expect(event.date == nil)
        #expect(event.knownType == nil)
        #expect(event.hostID == "N1")
        #expect(event.subject(lattice: "default") == "wasmbus.evt.default.actor_started")
        #expect(try jsonValue(event.encoded()) == jsonValue(Data(json.utf8)))

        let foreign = try LatticeEventDecoder.decode(Data(#"{"type":"org.example.thing"}"#.utf8)).get()
        #expect(foreign.payload == .unknown(type: "org.example.thing", raw: Data()))
        #expect(foreign.subject(lattice: "default") == nil)
        #expect(try topLevelKeys(foreign.encoded()) == ["specversion", "id", "type", "source"])
    }

    @Test func missingHostIDFallsBackToSource() throws {
        let json = #"{"type":"com.wasmcloud.lattice.health_check_failed","source":"NSOURCE","data":{"provider_id":"p"}}"#
        let event = try LatticeEventDecoder.decode(Data(json.utf8)).get()
        #expect(event.payload == .healthCheckFailed(HealthCheckEvent(hostID: "NSOURCE", providerID: "p")))
        let explicit = try LatticeEventDecoder.decode(Data(#"{"type":"com.wasmcloud.lattice.health_check_failed","source":"NSOURCE","data":{"provider_id":"p","host_id":"NDATA"}}"#.utf8)).get()
        #expect(explicit.hostID == "NDATA")
        let hostStopped = try LatticeEventDecoder.decode(Data(#"{"type":"com.wasmcloud.lattice.host_stopped","source":"NSRC"}"#.utf8)).get()
        #expect(hostStopped.payload == .hostStopped(HostStoppedEvent(labels: [:])))
        #expect(hostStopped.hostID == "NSRC")
    }

    /// 0.8x-era shapes that do not fit the 1.x types are reported, not trapped on.
    @Test func eraMismatchesAreUnsupportedWithRawKept() throws {
        let cases: [(String, String, String)] = [
            // 0.82 provider_started keyed the provider by public_key, no provider_id.
            (#"{"type":"com.wasmcloud.lattice.provider_started","source":"N1","data":{"public_key":"VAG3","link_name":"default","contract_id":"wasmcloud:httpserver"}}"#,
             "com.wasmcloud.lattice.provider_started", "missing key \"provider_id\" at data"),
            (#"{"type":"com.wasmcloud.lattice.component_scaled","source":"N1","data":{"component_id":"c","max_instances":"3"}}"#,
             "com.wasmcloud.lattice.component_scaled", "max_instances"),
            (#"{"type":"com.wasmcloud.lattice.host_heartbeat","source":"N1","data":{"actors":{"a":1},"providers":[]}}"#,
             "com.wasmcloud.lattice.host_heartbeat", "actors"),
            (#"{"type":"com.wasmcloud.lattice.labels_changed","source":"N1","data":{"host_id":"N1"}}"#,
             "com.wasmcloud.lattice.labels_changed", "missing key \"labels\""),
            (#"{"type":"com.wasmcloud.lattice.config_set","source":"N1","data":"my-config"}"#,
             "com.wasmcloud.lattice.config_set", "at data"),
            (#"{"type":"com.wadm.manifest_published","source":"wadm","data":[1]}"#,
             "com.wadm.manifest_published", "manifest is not a JSON object"),
            (#"{"type":"com.wasmcloud.lattice.component_scaled","source":"N1"}"#,
             "com.wasmcloud.lattice.component_scaled", "missing key"),
        ]
        for (json, expectedType, reasonFragment) in cases {
            let raw = Data(json.utf8)
            guard case .failure(.unsupported(let type, let reason, let kept)) = LatticeEventDecoder.decode(raw) else {
                Issue.record("expected unsupported for \(json)"); continue
            }
            #expect(type == expectedType)
            #expect(reason.contains(reasonFragment), "reason \"\(reason)\" lacks \"\(reasonFragment)\"")
            #expect(kept == raw)
        }
        #expect(throws: LatticeDecodeError.self) { try LatticeEventDecoder.decodeOrThrow(Data(cases[0].0.utf8)) }
    }
}
