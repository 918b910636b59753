import Foundation
import LatticeSim
import NATSKit
import Testing

/// The simulator writes its JSON from its own shapes (it does not link the client's wire types),
/// so this is what keeps it honest: a sample of every reply and event it sends, captured raw
/// from a real nats-server, compared key by key (presence, JSON type, nesting) with the
/// constructed fixtures in `Tests/Fixtures/v1-constructed` (protocol reference §1–§2, §6).
@Suite(.serialized, .timeLimit(.minutes(2)))
struct SimulatorWireShapeTests {
    // MARK: - Fixtures

    static let fixtures: URL = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.pathComponents.count > 1, !FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("Tests/Fixtures/v1-constructed", isDirectory: true)
    }()

    static func fixture(_ name: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent(name)))
    }

    // MARK: - Shape comparison

    /// Keys the protocol reference marks as present only sometimes (signed artifacts, unset
    /// options, empty lists wadm leaves out): either side may lack them.
    static let optionalKeys: Set<String> = [
        "js_domain",                                   // Host: omitted when unset
        "name",                                        // ComponentDescription / ProviderDescription: from claims
        "claims", "public_key", "instance_id", "link_name",  // event keys of signed components and providers
        "scalers", "message",                          // wadm Status: omitted when empty
    ]

    /// Keys whose value is a free-form string map (its keys are data, not protocol).
    static let mapKeys: Set<String> = ["labels", "annotations", "constraints", "limits"]

    /// Differences between the shape of `actual` and that of `fixture`, with paths. Values at
    /// `maps` (paths) or under `mapKeys` are compared as string maps.
    static func differences(_ fixture: Any, _ actual: Any, at path: String = "$", maps: Set<String> = []) -> [String] {
        let key = path.split(separator: ".").last.map(String.init) ?? ""
        if maps.contains(path) || mapKeys.contains(key), !(fixture is NSNull), !(actual is NSNull) {
            guard let a = actual as? [String: Any], fixture is [String: Any] else { return ["\(path): \(kind(actual)) where the protocol has a map"] }
            return a.values.allSatisfy { $0 is String } ? [] : ["\(path): a map with values that are not strings"]
        }
        switch (fixture, actual) {
        case (let f as [String: Any], let a as [String: Any]):
            var out: [String] = []
            for key in Set(f.keys).union(a.keys).sorted() {
                switch (f[key], a[key]) {
                case (let fv?, let av?): out += differences(fv, av, at: "\(path).\(key)", maps: maps)
                case (_?, nil) where !optionalKeys.contains(key): out.append("\(path).\(key): missing")
                case (nil, _?) where !optionalKeys.contains(key): out.append("\(path).\(key): not in the protocol")
                default: break
                }
            }
            return out
        case (let f as [Any], let a as [Any]):
            guard let first = f.first else { return [] }
            return a.enumerated().flatMap { differences(first, $0.element, at: "\(path)[\($0.offset)]", maps: maps) }
        default:
            let (fk, ak) = (kind(fixture), kind(actual))
            // `null` stands for "absent" in an optional value (e.g. a `description`).
            return fk == ak || fk == "null" || ak == "null" ? [] : ["\(path): \(ak) where the protocol has \(fk)"]
        }
    }

    static func kind(_ value: Any) -> String {
        switch value {
        case is NSNull: return "null"
        case let n as NSNumber: return String(cString: n.objCType) == "c" ? "bool" : "number"
        case is String: return "string"
        case is [Any]: return "array"
        case is [String: Any]: return "object"
        default: return "\(type(of: value))"
        }
    }

    static func json(_ data: Data) -> Any? { try? JSONSerialization.jsonObject(with: data) }

    @Test func theComparisonCatchesAWrongKey() {
        // What the test would say about a client-style slip: a renamed key and a wrong type.
        let fixture: [String: Any] = ["component_id": "c", "max_instances": 1, "annotations": ["a": "b"]]
        let wrong: [String: Any] = ["componentID": "c", "max_instances": "1", "annotations": ["a": "b"]]
        #expect(Self.differences(fixture, wrong) == ["$.componentID: not in the protocol", "$.component_id: missing",
                                                     "$.max_instances: string where the protocol has number"])
        #expect(Self.differences(fixture, fixture).isEmpty)
    }

    // MARK: - Replies

    @Test func everyControlAndWadmReplyHasTheProtocolsShape() async throws {
        let replies = try #require(try Self.fixture("ctl-replies.json") as? [String: Any])
        let wadm = try #require(try Self.fixture("wadm-api.json") as? [String: Any])
        let f = try await LatticeFixture()
        defer { Task { await f.shutdown() } }
        let base = "wasmbus.ctl.v1.default"
        let hosts = await f.simulator.inventories()
        let host = try #require(hosts.first { !$0.components.isEmpty && !$0.providers.isEmpty })
        let component = try #require(host.components.first)
        let provider = try #require(host.providers.first)

        var checked: [String] = []
        func check(_ key: String, _ subject: String, _ body: String? = nil, in table: [String: Any]? = nil, sameMessage: Bool = true,
                   maps: Set<String> = [], sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let reply = try await f.connection.request(subject, payload: Data((body ?? "").utf8), timeout: .seconds(3))
            let actual = try #require(Self.json(reply.data), "\(key): not JSON", sourceLocation: sourceLocation)
            var expected = try #require((table ?? replies)[key], "no fixture \(key)", sourceLocation: sourceLocation)
            if let list = expected as? [Any], key == "host.ping" { expected = list[0] }
            let diff = Self.differences(expected, actual, maps: maps)
            #expect(diff.isEmpty, "\(key): \(diff)", sourceLocation: sourceLocation)
            if let e = expected as? [String: Any], let a = actual as? [String: Any] {
                for k in ["success", "result"] where e[k] != nil {
                    #expect("\(e[k]!)" == "\(a[k] ?? "")", "\(key): \(k)", sourceLocation: sourceLocation)
                }
                if sameMessage, let m = e["message"] as? String {
                    #expect(a["message"] as? String == m, "\(key): message", sourceLocation: sourceLocation)
                }
            }
            checked.append(key)
        }

        try await check("host.ping", "\(base).host.ping")
        try await check("host.get.{host_id}", "\(base).host.get.\(host.hostID)")
        try await check("link.get", "\(base).link.get")
        try await check("config.get.{name} (found)", "\(base).config.get.rust_http_kv-redis_url", maps: ["$.response"])
        try await check("config.get.{name} (absent)", "\(base).config.get.nothing")
        try await check("config.put.{name}", "\(base).config.put.shape", #"{"a":"b"}"#)
        try await check("config.put.{name} (bad body)", "\(base).config.put.shape", #"["a"]"#)
        try await check("config.del.{name}", "\(base).config.del.shape")
        try await check("claims.get", "\(base).claims.get")
        try await check("label.put.{host_id}", "\(base).label.put.\(host.hostID)", #"{"key":"rack","value":"r1"}"#)
        try await check("label.put.{host_id} (hostcore key, v1.8+)", "\(base).label.put.\(host.hostID)", #"{"key":"hostcore.os","value":"x"}"#)
        try await check("label.del.{host_id}", "\(base).label.del.\(host.hostID)", #"{"key":"rack"}"#)
        try await check("label.del.{host_id} (missing)", "\(base).label.del.\(host.hostID)", #"{"key":"rack"}"#)
        try await check("component.scale.{host_id}", "\(base).component.scale.\(host.hostID)",
                        #"{"component_id":"shape-c","component_ref":"ghcr.io/a:1","count":1}"#)
        try await check("component.scale.{host_id} (different ref, allow_update=false)", "\(base).component.scale.\(host.hostID)",
                        #"{"component_id":"shape-c","component_ref":"ghcr.io/a:2","count":1}"#, sameMessage: false)
        try await check("component.update.{host_id}", "\(base).component.update.\(host.hostID)",
                        #"{"component_id":"\#(component.id)","new_component_ref":"\#(component.imageRef)-2"}"#, sameMessage: false)
        try await check("component.update.{host_id} (not running)", "\(base).component.update.\(host.hostID)",
                        #"{"component_id":"nope","new_component_ref":"x"}"#)
        try await check("provider.start.{host_id}", "\(base).provider.start.\(host.hostID)",
                        #"{"provider_id":"shape-p","provider_ref":"ghcr.io/p:1"}"#)
        try await check("provider.start.{host_id} (duplicate)", "\(base).provider.start.\(host.hostID)",
                        #"{"provider_id":"\#(provider.id)","provider_ref":"ghcr.io/p:1"}"#)
        try await check("provider.stop.{host_id}", "\(base).provider.stop.\(host.hostID)", #"{"provider_id":"shape-p"}"#)
        try await check("provider.stop.{host_id} (not running)", "\(base).provider.stop.\(host.hostID)", #"{"provider_id":"shape-p"}"#)
        try await check("component.auction (per qualifying host)", "\(base).component.auction",
                        #"{"component_id":"shape-new","component_ref":"ghcr.io/a:1","constraints":{}}"#)
        try await check("provider.auction (per qualifying host)", "\(base).provider.auction",
                        #"{"provider_id":"shape-new","provider_ref":"ghcr.io/p:1","constraints":{}}"#)
        let link = #"{"source_id":"shape-c","target":"\#(provider.id)","wit_namespace":"wasi","wit_package":"shape","interfaces":["x"]}"#
        try await check("link.put (ok)", "\(base).link.put", link)
        try await check("link.put (conflict)", "\(base).link.put", link.replacingOccurrences(of: provider.id, with: "other-target"))
        try await check("link.del", "\(base).link.del", #"{"source_id":"shape-c","wit_namespace":"wasi","wit_package":"shape"}"#)
        try await check("any (bad JSON body)", "\(base).component.scale.\(host.hostID)", "{not json")
        try await check("any (unknown subject)", "\(base).link.frobnicate")
        try await check("host.stop.{host_id}", "\(base).host.stop.\(host.hostID)", "{}")

        try await check("model.get (list, wadm>=0.15) reply", "wadm.api.default.model.get", in: wadm)
        let list = try await f.connection.request("wadm.api.default.model.list", timeout: .seconds(3))
        let expectedList = try #require(wadm["model.list (deprecated) reply"])
        #expect(Self.differences(expectedList, try #require(Self.json(list.data))).isEmpty)
        try await check("model.status.{name} reply", "wadm.api.default.model.status.rust-hello-world", in: wadm, sameMessage: false)
        try await check("error reply (any op)", "wadm.api.default.model.frobnicate", in: wadm, sameMessage: false)

        // Every control reply the fixtures know was produced (and compared).
        let controlKeys = Set(replies.keys.filter { !$0.hasPrefix("_") })
        #expect(controlKeys.subtracting(checked).isEmpty, "not compared: \(controlKeys.subtracting(checked).sorted())")
    }

    // MARK: - Requests

    @Test func everyFixtureRequestIsReadAsAHostReadsIt() async throws {
        let requests = try #require(try Self.fixture("ctl-requests.json") as? [String: Any])
        let f = try await LatticeFixture()
        defer { Task { await f.shutdown() } }
        let hosts = await f.simulator.inventories()
        let host = try #require(hosts.first { $0.components.contains { $0.id == "rust_hello_world-http_component" } })
        let fixtureHost = "NUJZDEGXDNCF32EPF3DHODZDOCIS2JHTLGMXGEDN73U55XTPLPFT7V4S"
        // host.stop last: the host is gone after it.
        let all = requests.keys.filter { !$0.hasPrefix("_") }.sorted()
        let keys = all.filter { !$0.hasPrefix("host.stop") } + all.filter { $0.hasPrefix("host.stop") }
        var answered: [String] = []
        for key in keys {
            let subject = "wasmbus.ctl.v1.default." + key.split(separator: " ").first!
                .replacingOccurrences(of: "{host_id}", with: host.hostID).replacingOccurrences(of: "{name}", with: "fixture-config")
            var body = ""
            if let object = requests[key], !(object is NSNull) {
                body = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
                    .replacingOccurrences(of: fixtureHost, with: host.hostID)
                // Auctions: a fresh ID, so that some host bids (the fixture's ID runs already).
                if key.hasSuffix("auction") { body = body.replacingOccurrences(of: "rust_hello_world-http", with: "fixture-new") }
            }
            let reply = try await f.connection.request(subject, payload: Data(body.utf8), timeout: .seconds(3))
            let object = try #require(Self.json(reply.data) as? [String: Any], "\(key): not a JSON object")
            #expect((object["message"] as? String)?.contains("deserialize") != true, "\(key): \(object)")
            #expect(object["message"] as? String != "unsupported subject", "\(key): \(object)")
            answered.append(key)
            if key == "component.scale.{host_id}" {
                // `count` is the instance count (not `max_instances`), annotations are taken.
                let c = await f.simulator.inventories().first { $0.hostID == host.hostID }?.components.first { $0.id == "rust_hello_world-http_component" }
                #expect(c?.maxInstances == 2)
            }
        }
        #expect(answered.count == keys.count)
        // What the bodies said was taken as said.
        let after = await f.simulator.inventories().first { $0.hostID == host.hostID }
        #expect(after == nil, "host.stop with the fixture's body stops the host")
        #expect(await f.simulator.received(.labelPut).last.flatMap { try? JSONSerialization.jsonObject(with: $0.body) as? [String: String] }
                == ["key": "tier", "value": "gold"])
    }

    // MARK: - Events

    @Test func everyEventHasTheProtocolsShape() async throws {
        let fixtureEvents = try #require(try Self.fixture("events-v1.9.json") as? [[String: Any]])
        var configuration = SimulatorConfiguration.fast(faults: [.failingHealth])
        configuration.faultDelay = .milliseconds(1500)
        let f = try await LatticeFixture(configuration, startSimulator: false)
        defer { Task { await f.shutdown() } }
        // Raw events, from before the simulator starts.
        let raw = try f.connection.subscribe("wasmbus.evt.default.>")
        try f.connection.flush()
        let collected = RawCollector(raw)
        try await f.simulator.start()
        let base = "wasmbus.ctl.v1.default"
        let host = try #require(await f.simulator.inventories().first { !$0.providers.isEmpty })
        let provider = try #require(host.providers.first)
        func send(_ subject: String, _ body: String = "") async throws {
            _ = try await f.connection.request(subject, payload: Data(body.utf8), timeout: .seconds(3))
        }
        try await send("\(base).label.put.\(host.hostID)", #"{"key":"rack","value":"r1"}"#)
        try await send("\(base).component.scale.\(host.hostID)", #"{"component_id":"broken","component_ref":"ghcr.io/broken:1","count":1}"#)
        try await send("\(base).provider.start.\(host.hostID)", #"{"provider_id":"missing","provider_ref":"ghcr.io/example/missing:1"}"#)
        try await send("\(base).link.put", #"{"source_id":"rust_http_kv-counter","target":"x","wit_namespace":"wasi","wit_package":"keyvalue","interfaces":["store"]}"#)
        try await send("\(base).link.del", #"{"source_id":"rust_http_kv-counter","name":"nothing","wit_namespace":"wasi","wit_package":"http"}"#)
        try await send("\(base).link.del", #"{"source_id":"nats-messaging","wit_namespace":"wasmcloud","wit_package":"messaging"}"#)
        try await send("\(base).config.del.messaging-subscriptions")
        try await send("\(base).provider.stop.\(host.hostID)", #"{"provider_id":"\#(provider.id)"}"#)

        // Samples: one per type; linkdef_deleted with and without a removed link.
        func sampleKey(_ event: [String: Any]) -> String? {
            guard let type = (event["type"] as? String)?.split(separator: ".").last.map(String.init) else { return nil }
            if type == "linkdef_deleted" { return (event["data"] as? [String: Any])?["target"] == nil ? "linkdef_deleted (no-op)" : type }
            return type
        }
        var expected: [String: [String: Any]] = [:]
        for e in fixtureEvents { if let k = sampleKey(e), expected[k] == nil { expected[k] = e } }
        #expect(expected.count == 18, "fixture samples: \(expected.keys.sorted())")
        let wanted = Set(expected.keys).subtracting(["host_stopped"])
        let complete = await eventually(timeout: .seconds(15)) { Set(collected.events.compactMap(sampleKey)).isSuperset(of: wanted) }
        try await send("\(base).host.stop.\(host.hostID)", "{}")
        #expect(await eventually { collected.events.contains { sampleKey($0) == "host_stopped" } })
        raw.unsubscribe()
        #expect(complete, "missing: \(wanted.subtracting(collected.events.compactMap(sampleKey)).sorted())")

        var seen = Set<String>()
        for event in collected.events {
            guard let key = sampleKey(event), let sample = expected[key] else {
                Issue.record("an event type the protocol does not have: \(event["type"] ?? "?")")
                continue
            }
            seen.insert(key)
            let diff = Self.differences(sample, event)
            #expect(diff.isEmpty, "\(key): \(diff)")
            for k in ["specversion", "datacontenttype"] { #expect("\(event[k] ?? "")" == "\(sample[k]!)") }
            #expect((event["id"] as? String).map { $0.count == 36 && $0.split(separator: "-").count == 5 } == true, "\(key): id")
            #expect((event["time"] as? String)?.hasSuffix("Z") == true && (event["time"] as? String)?.contains(".") == true, "\(key): time")
        }
        #expect(seen == Set(expected.keys), "not compared: \(Set(expected.keys).subtracting(seen).sorted())")
    }
}

/// Collects raw JSON objects from a subscription.
final class RawCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [[String: Any]] = []
    private var task: Task<Void, Never>?

    init(_ subscription: NATSSubscription) {
        task = Task { [weak self] in
            for await batch in subscription {
                let objects = batch.compactMap { (try? JSONSerialization.jsonObject(with: $0.data)) as? [String: Any] }
                self?.lock.withLock { self?.collected.append(contentsOf: objects) }
            }
        }
    }

    var events: [[String: Any]] { lock.withLock { collected } }
}
