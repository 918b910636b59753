import Foundation
import Testing
import LatticeProtocol

/// Heartbeats and health reports are read directly (`LatticeEventDecoder.direct`): every event it
/// reads must decode to what `JSONDecoder` gives, and every event `JSONDecoder` refuses must be
/// declined (and then fail with `JSONDecoder`'s error, as before).
@Suite struct EventDirectDecodingTests {
    func codable(_ data: Data) -> LatticeEvent? { try? WireJSON.decode(LatticeEvent.self, from: data) }

    static let directTypes: Set<LatticeEventType> = [.hostHeartbeat, .healthCheckPassed, .healthCheckFailed, .healthCheckStatus]

    /// Checks one message both ways; true when the direct reading accepted it.
    @discardableResult
    func expectSame(_ data: Data, _ comment: @autoclosure () -> String = "") -> Bool {
        let expected = codable(data)
        let direct = LatticeEventDecoder.direct(data)
        if let direct {
            #expect(direct == expected, "direct reading differs: \(comment()) \(String(decoding: data, as: UTF8.self))")
        }
        switch LatticeEventDecoder.decode(data) {
        case .success(let event): #expect(event == expected, "\(comment()) \(String(decoding: data, as: UTF8.self))")
        case .failure: #expect(expected == nil, "\(comment()) \(String(decoding: data, as: UTF8.self))")
        }
        return direct != nil
    }

    /// The heartbeat and health events of the fixture files, each as the file has it (its own
    /// layout and key order), plus their parsed values.
    func fixtureEvents() throws -> [(raw: Data, value: JSONValue)] {
        var events: [(Data, JSONValue)] = []
        for file in ["v1-constructed/events-v1.9.json", "upstream/wadm/tests_fixtures_manifests_events.json"] {
            for raw in topLevelElements(try SharedFixtures.data(file)) {
                let value = try JSONValue(jsonData: raw)
                guard let type = value["type"]?.stringValue.flatMap(LatticeEventType.init(rawValue:)),
                      Self.directTypes.contains(type) else { continue }
                events.append((raw, value))
            }
        }
        return events
    }

    @Test func fixtureEventsAreReadDirectlyToWhatJSONDecoderGives() throws {
        let events = try fixtureEvents()
        #expect(events.count == 8, "4 constructed v1.9 and 4 upstream heartbeat/health events")
        for (raw, value) in events {
            let tree = Tree(value)
            // As in the file, compact with serde's sorted keys (`data` first), and in the order a
            // wasmCloud host writes (`type` before `data`).
            let layouts = [raw, Data(tree.text.utf8), Data(tree.envelopeInHostOrder().text.utf8)]
            for data in layouts {
                let direct = try #require(LatticeEventDecoder.direct(data), "declined: \(String(decoding: data, as: UTF8.self))")
                #expect(direct == codable(data))
                #expect(try LatticeEventDecoder.decode(data).get() == direct)
            }
        }
        // The values themselves, not only their agreement.
        let heartbeat = try #require(events.compactMap { LatticeEventDecoder.direct($0.raw) }.first { $0.knownType == .hostHeartbeat })
        guard case .hostHeartbeat(let inventory) = heartbeat.payload else { Issue.record("not a heartbeat"); return }
        #expect(inventory.friendlyName == "quiet-meadow-4821")
        #expect(inventory.uptimeHuman == "30s" && inventory.uptimeSeconds == 30)
        #expect(inventory.components.first?.annotations?["wasmcloud.dev/appspec"] == "rust-hello-world")
        #expect(heartbeat.date != nil)
    }

    /// A heartbeat as big as a busy host's (50 components) and a simulator's event layout.
    @Test func bigHeartbeatsRoundTripDirectly() throws {
        var inventory = HostReplyDecoderTests.busyInventory
        inventory.components = (0..<50).map { HostReplyDecoderTests.component($0 % 5) }
        // `data` comes before `type` here and is skipped first, which declines integers of more
        // than 18 digits (`JSONScanner.skipValue`); this one's `UInt64.max` is checked below.
        let hugeUptime = inventory
        inventory.uptimeSeconds = 400 * 86_400
        let event = LatticeEvent(id: "0193a1b2-c3d4-e5f6-0718-293a4b5c6d7e", source: inventory.hostID,
                                 time: "2026-12-06T17:00:00.123456Z", payload: .hostHeartbeat(inventory))
        let data = try event.encoded()
        #expect(LatticeEventDecoder.direct(data) == event)
        #expect(codable(data) == event)
        let huge = try LatticeEvent(id: "i", source: "", time: nil, payload: .hostHeartbeat(hugeUptime)).encoded()
        #expect(LatticeEventDecoder.direct(huge) == nil)
        #expect(try LatticeEventDecoder.decode(huge).get() == codable(huge))
        let typeFirst = Data(#"{"type":"com.wasmcloud.lattice.host_heartbeat","data":"#.utf8) + (try WireJSON.encode(hugeUptime))
            + Data("}".utf8)
        #expect(LatticeEventDecoder.direct(typeFirst) == codable(typeFirst))
        #expect(LatticeEventDecoder.direct(typeFirst) != nil)
        let health = LatticeEvent(id: "x", source: "NHOST", time: nil, payload: .healthCheckFailed(HealthCheckEvent(hostID: "", providerID: "p")))
        let healthData = try health.encoded()
        #expect(LatticeEventDecoder.direct(healthData) == codable(healthData))
        // An empty host_id is filled from the source, as the `Codable` path does.
        guard case .healthCheckFailed(let filled)? = LatticeEventDecoder.direct(healthData)?.payload else {
            Issue.record("declined"); return
        }
        #expect(filled.hostID == "NHOST")
    }

    /// The shapes the envelope and the payloads read specially.
    @Test func specialShapesMatchTheCodablePath() throws {
        let hb = #""type":"com.wasmcloud.lattice.host_heartbeat""#
        let hc = #""type":"com.wasmcloud.lattice.health_check_status""#
        let cases: [String] = [
            #"{\#(hb),"data":{"components":[],"providers":[]}}"#,
            #"{"data":{"components":[],"providers":[]},\#(hb)}"#,
            #"{"data":{"components":[],"providers":[]},\#(hb),"source":"NS","id":null,"specversion":null,"time":null}"#,
            #"{\#(hb),"source":"NS","time":"not a time","data":{"components":[],"providers":[],"host_id":""}}"#,
            #"{\#(hb),"source":"NS","time":"2025-06-01T12:00:00Z","data":{"components":[],"providers":[],"host_id":null}}"#,
            #"{\#(hb),"data":{"actors":[{"id":"c1"}],"providers":[]}}"#,
            #"{\#(hb),"data":{"components":null,"actors":[],"providers":[]}}"#,
            #"{\#(hb),"data":{"components":[]}}"#,
            #"{\#(hb),"data":null}"#,
            #"{\#(hb)}"#,
            #"{"data":{"components":[],"providers":[]}}"#,
            #"{"type":null,"data":{"components":[],"providers":[]}}"#,
            #"{"type":"com.wasmcloud.lattice.host_heartbeat ","data":{"components":[],"providers":[]}}"#,
            #"{"type":"com.wasmcloud.lattice.host_heartbea\u0074","data":{"components":[],"providers":[]}}"#,
            #"{\#(hb),\#(hb),"data":{"components":[],"providers":[]}}"#,
            #"{\#(hb),"data":{"components":[],"providers":[]},"data":{"components":[],"providers":[]}}"#,
            #"{\#(hb),"data":{"components":[],"providers":[],"uptime_seconds":1.0}}"#,
            #"{\#(hb),"data":{"components":[],"providers":[],"extra":1.5}}"#,
            #"{\#(hb),"extra":[1,{"a":null}],"data":{"components":[],"providers":[]}}"#,
            #"{\#(hb),"source":5,"data":{"components":[],"providers":[]}}"#,
            #"{\#(hb),"sourc\u0065":"NS","data":{"components":[],"providers":[]}}"#,
            #"{\#(hb),"data":[]}"#,
            #"{\#(hb),"data":{"components":[],"providers":[]}} x"#,
            #"{\#(hb),"data":{"components":[],"providers":[]},}"#,
            #"{\#(hc),"source":"NS","data":{"provider_id":"p"}}"#,
            #"{\#(hc),"source":"NS","data":{"provider_id":"p","host_id":"NH"}}"#,
            #"{\#(hc),"data":{"provider_id":null}}"#,
            #"{\#(hc),"data":{}}"#,
            #"{\#(hc),"data":{"provider_id":"p","components":5}}"#,
            #"{\#(hc),"data":{"provider_id":"p\u00e9\ud83d\ude80\n"}}"#,
            #"{\#(hc),"data":{"provider_id":"p\ud800"}}"#,
            #"{"type":"com.wasmcloud.lattice.component_scaled","data":{"component_id":"c","max_instances":1}}"#,
            #"{"type":"com.example.other","data":{"provider_id":"p"}}"#,
            #"[]"#, #""#, #"null"#, #"{}"#,
        ]
        for text in cases { expectSame(Data(text.utf8), text) }
        // Both envelope orders are read directly; other types are left to `Codable`.
        #expect(LatticeEventDecoder.direct(Data(cases[0].utf8)) != nil)
        #expect(LatticeEventDecoder.direct(Data(cases[1].utf8)) != nil)
        #expect(LatticeEventDecoder.direct(Data(cases[5].utf8)) != nil, "the legacy `actors` is read directly")
        let scaled = try #require(cases.first { $0.contains("component_scaled") })
        #expect(LatticeEventDecoder.direct(Data(scaled.utf8)) == nil)
        #expect(codable(Data(scaled.utf8)) != nil)
    }

    /// Random damage to the fixture events and a big heartbeat: bytes changed, dropped, repeated,
    /// tokens put in, the message cut short; fields removed, repeated, renamed and given values of
    /// other types, keys reordered. Whatever the direct reading accepts, `JSONDecoder` decodes to
    /// the same value; what it refuses, the direct reading declines; nothing traps.
    @Test func damagedEventsNeverDisagreeWithJSONDecoder() throws {
        var seeds = try fixtureEvents().map { Tree($0.value) }
        var inventory = HostReplyDecoderTests.busyInventory
        inventory.components += [HostReplyDecoderTests.component(1)]
        let big = LatticeEvent(id: "i", source: inventory.hostID, time: "2026-12-06T17:00:00Z", payload: .hostHeartbeat(inventory))
        seeds.append(Tree(try JSONValue(jsonData: big.encoded())))
        var rng = XorShift(seed: 4)
        var accepted = 0, declined = 0
        for round in 0..<8_000 {
            var tree = seeds[round % seeds.count]
            if round % 2 == 0 {
                for _ in 0..<(1 + Int(rng.next() % 3)) { tree.damage(&rng) }
            }
            tree = rng.next() % 2 == 0 ? tree.envelopeInHostOrder() : tree
            var bytes = Array(tree.text.utf8)
            if round % 2 == 1 || rng.next() % 4 == 0 { rng.damage(&bytes, truncating: true) }
            expectSame(Data(bytes), "round \(round)") ? (accepted += 1) : (declined += 1)
        }
        // Both ways are exercised.
        #expect(accepted > 1_000 && declined > 1_000, "accepted \(accepted), declined \(declined)")
    }
}

/// The top-level elements of a JSON array, as the bytes of the file have them.
func topLevelElements(_ data: Data) -> [Data] {
    let bytes = [UInt8](data)
    var elements: [Data] = []
    var depth = 0, start = 0, inString = false, escaped = false
    for (i, b) in bytes.enumerated() {
        if inString {
            if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
            continue
        }
        switch b {
        case UInt8(ascii: "\""): inString = true
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            if depth == 1 { start = i }
            depth += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            depth -= 1
            if depth == 1 { elements.append(Data(bytes[start...i])) }
        default: break
        }
    }
    return elements
}

/// JSON written by hand, so the tests choose key order, repeat keys and write any token.
indirect enum Tree {
    /// A scalar as JSON text (`"a"`, `1`, `null`, or anything else).
    case leaf(String)
    case array([Tree])
    case object([(key: String, value: Tree)])

    /// Objects with their keys sorted (as serde and `WireJSON` write them).
    init(_ value: JSONValue) {
        switch value {
        case .array(let items): self = .array(items.map(Tree.init))
        case .object(let members): self = .object(members.keys.sorted().map { ($0, Tree(members[$0]!)) })
        default: self = .leaf(String(decoding: (try? value.jsonData()) ?? Data("null".utf8), as: UTF8.self))
        }
    }

    var text: String {
        switch self {
        case .leaf(let text): return text
        case .array(let items): return "[" + items.map(\.text).joined(separator: ",") + "]"
        case .object(let members):
            return "{" + members.map { "\"\($0.key)\":" + $0.value.text }.joined(separator: ",") + "}"
        }
    }

    /// The envelope's keys in the order a wasmCloud host writes them (`data` last).
    func envelopeInHostOrder() -> Tree {
        guard case .object(let members) = self else { return self }
        let order = ["specversion", "id", "type", "source", "datacontenttype", "time", "data"]
        return .object(members.sorted { (order.firstIndex(of: $0.key) ?? 99) < (order.firstIndex(of: $1.key) ?? 99) })
    }

    static let otherValues = [
        "null", "true", "false", "0", "-1", "1.5", "1e3", "-0", "01", "4294967296", "-2147483649", "18446744073709551615",
        "18446744073709551616", "99999999999999999999", #""""#, #""x""#, #""\u0000""#, #""\ud800""#, #""a\"b\\c\u00e9""#, "[]", "{}",
        #"{"k":"v"}"#, #"{"k":1}"#, #"[{"id":"c"}]"#, #"[{"id":null}]"#, #"[{}]"#, #"[1]"#,
    ]
    static let otherKeys = ["components", "actors", "providers", "host_id", "provider_id", "labels", "uptime_seconds",
                            "type", "data", "source", "id", "time", "revision", "max_instances", "annotations", "limits",
                            "image_ref", "name", "extra", "Host_id", "host_id\\u0000"]

    /// One structural change somewhere in the tree: a member removed, repeated, renamed or given a
    /// value of another type, or a value put in an array.
    mutating func damage(_ rng: inout XorShift) {
        var paths: [[Int]] = []
        collect(into: &paths, at: [])
        let path = paths[Int(rng.next() % UInt64(paths.count))]
        change(at: path[...], &rng)
    }

    private func collect(into paths: inout [[Int]], at path: [Int]) {
        switch self {
        case .leaf: break
        case .array(let items):
            paths.append(path)
            for (i, item) in items.enumerated() { item.collect(into: &paths, at: path + [i]) }
        case .object(let members):
            paths.append(path)
            for (i, member) in members.enumerated() { member.value.collect(into: &paths, at: path + [i]) }
        }
    }

    private mutating func change(at path: ArraySlice<Int>, _ rng: inout XorShift) {
        func pick<T>(_ list: [T]) -> T { list[Int(rng.next() % UInt64(list.count))] }
        switch self {
        case .leaf: break
        case .array(var items):
            if let i = path.first {
                items[i].change(at: path.dropFirst(), &rng)
            } else if !items.isEmpty, rng.next() % 2 == 0 {
                items.remove(at: Int(rng.next() % UInt64(items.count)))
            } else {
                items.append(rng.next() % 2 == 0 && !items.isEmpty ? items[0] : .leaf(pick(Self.otherValues)))
            }
            self = .array(items)
        case .object(var members):
            if let i = path.first {
                members[i].value.change(at: path.dropFirst(), &rng)
            } else if members.isEmpty {
                members.append((pick(Self.otherKeys), .leaf(pick(Self.otherValues))))
            } else {
                let i = Int(rng.next() % UInt64(members.count))
                switch rng.next() % 5 {
                case 0: members.remove(at: i)
                case 1: members.append(members[i])
                case 2: members[i].key = pick(Self.otherKeys)
                case 3: members.insert((pick(Self.otherKeys), .leaf(pick(Self.otherValues))), at: i)
                default: members[i].value = .leaf(pick(Self.otherValues))
                }
            }
            self = .object(members)
        }
    }
}
