import Foundation
import Testing
@testable import LatticeProtocol

/// `JSONScanner.stringMap` finds a map read before by its text (`StringMapInterner`): the
/// annotations every replica of a component repeats, and the labels many hosts repeat, are one
/// table in the model, not one per component or host; and a map found is the map reading it gives.
@Suite struct StringMapSharingTests {
    /// The table a dictionary value refers to (a native dictionary is one reference).
    static func table(_ map: [String: String]) -> UInt {
        withUnsafeBytes(of: map) { $0.load(as: UInt.self) }
    }

    static func annotations(_ component: Int, tag: String) -> [String: String] {
        ["wasmcloud.dev/appspec": "maps-app-\(tag)", "wasmcloud.dev/managed-by": "wadm",
         "wasmcloud.dev/scaler": "maps-app-\(tag)-spreadscaler-component-\(component)", "wasmcloud.dev/spread_name": "default"]
    }

    /// A host running a replica of each of three components, with the labels every host has.
    static func inventory(host: Int, tag: String) -> HostInventory {
        HostInventory(
            components: (0..<3).map { k in
                ComponentDescription(id: "maps-component-\(k)", imageRef: "ghcr.io/example/maps/component:0.1.\(k)",
                                     annotations: annotations(k, tag: tag), maxInstances: 1)
            },
            providers: [ProviderDescription(id: "maps-provider", imageRef: "ghcr.io/example/maps-provider:0.2.0",
                                            annotations: ["wasmcloud.dev/appspec": "maps-app-\(tag)"])],
            hostID: "NMAPSHOST\(host)", friendlyName: "host-\(host)",
            labels: ["hostcore.arch": "x86_64", "hostcore.os": "linux", "zone": "maps-\(tag)"],
            version: "1.9.2", uptimeHuman: "1m", uptimeSeconds: 60)
    }

    static func reply(host: Int, tag: String) throws -> Data {
        try WireJSON.encode(CtlResponse<HostInventory>.ok(inventory(host: host, tag: tag)))
    }

    @Test func aDictionaryIsOneReference() {
        #expect(MemoryLayout<[String: String]>.size == MemoryLayout<UInt>.size)
    }

    @Test func replicasOnThreeHostsShareOneTableAMap() throws {
        let maps = StringMapInterner(buckets: 64, ways: 4, maxBytes: 1_024, maxPairs: 32)
        var read: [HostInventory] = []
        for host in 0..<3 {
            let reply = try #require(HostReplyDecoder.direct(try Self.reply(host: host, tag: "a"), maps: maps,
                                                             payload: HostReplyDecoder.hostInventory))
            let inventory = try #require(reply.response)
            #expect(inventory == Self.inventory(host: host, tag: "a"), "values are what was sent")
            read.append(inventory)
        }
        for k in 0..<3 {
            let tables = try read.map { try Self.table(#require($0.components[k].annotations)) }
            #expect(Set(tables).count == 1, "component \(k)'s annotations read into \(Set(tables).count) tables")
        }
        #expect(Set(read.map { Self.table($0.labels) }).count == 1, "labels read into several tables")
        let providerTables = try read.map { try Self.table(#require($0.providers[0].annotations)) }
        #expect(Set(providerTables).count == 1, "provider annotations read into several tables")
        // Different maps stay apart.
        let first = read[0]
        let distinct = try Set(first.components.map { try Self.table(#require($0.annotations)) })
        #expect(distinct.count == 3)
        #expect(maps.hits == 2 * 5, "hosts 1 and 2: three annotation maps, the provider's and the labels each")
        #expect(maps.count == 5)
        // Another lattice's maps are read for themselves.
        let other = try #require(HostReplyDecoder.direct(try Self.reply(host: 0, tag: "b"), maps: maps,
                                                         payload: HostReplyDecoder.hostInventory)?.response)
        #expect(other == Self.inventory(host: 0, tag: "b"))
        #expect(try Self.table(#require(other.components[0].annotations)) != Self.table(#require(first.components[0].annotations)))
    }

    /// The readers' own (shared) interner: the inventories and heartbeats of two hosts share a
    /// map. Other tests read maps into it at the same time and may turn an entry over between
    /// two readings; one of five tries sharing is enough (without sharing none does).
    @Test func theDecodersShareThroughTheSharedInterner() throws {
        let tag = UUID().uuidString
        var shared = 0
        for attempt in 0..<5 {
            let a = try #require(try HostReplyDecoder.inventory(Self.reply(host: 2 * attempt, tag: tag)).response)
            let b = try #require(try HostReplyDecoder.inventory(Self.reply(host: 2 * attempt + 1, tag: tag)).response)
            #expect(a == Self.inventory(host: 2 * attempt, tag: tag) && b == Self.inventory(host: 2 * attempt + 1, tag: tag))
            if try Self.table(#require(a.components[1].annotations)) == Self.table(#require(b.components[1].annotations)) {
                shared += 1
            }
        }
        #expect(shared > 0, "no two hosts' replicas shared their annotations")
        // A heartbeat is read by the same reader.
        let heartbeat = #"{"specversion":"1.0","id":"E1","source":"NMAPSHOST9","type":"com.wasmcloud.lattice.host_heartbeat","#
            + #""datacontenttype":"application/json","time":"2026-12-07T14:00:00Z","data":"#
            + String(decoding: try WireJSON.encode(Self.inventory(host: 9, tag: tag)), as: UTF8.self) + "}"
        var sharedBeats = 0
        for _ in 0..<5 {
            let one = try #require(LatticeEventDecoder.direct(Data(heartbeat.utf8)), "the direct reading declined the heartbeat")
            let two = try #require(LatticeEventDecoder.direct(Data(heartbeat.utf8)))
            guard case .hostHeartbeat(let x) = one.payload, case .hostHeartbeat(let y) = two.payload else {
                Issue.record("not a heartbeat")
                return
            }
            #expect(x == Self.inventory(host: 9, tag: tag))
            if Self.table(x.labels) == Self.table(y.labels) { sharedBeats += 1 }
        }
        #expect(sharedBeats > 0, "two heartbeats' labels never shared")
    }

    // MARK: - Values

    /// Reads `text` as a string map through `maps` (nil: declined, or not all of `text`).
    static func read(_ text: [UInt8], _ maps: StringMapInterner) -> [String: String]? {
        guard WireJSON.firstInvalidUTF8Offset(Data(text)) == nil else { return nil }
        return text.withUnsafeBytes { bytes in
            var s = JSONScanner(bytes, maps: maps)
            guard let map = s.stringMap(), s.atEnd() else { return nil }
            return map
        }
    }

    static func decoded(_ text: [UInt8]) -> [String: String]? {
        try? JSONDecoder().decode([String: String].self, from: Data(text))
    }

    /// A string of the characters maps are made of, JSON-quoted with escapes chosen at random.
    static func quoted(_ rng: inout XorShift, from pool: [String]) -> String {
        let text = pool[Int(rng.next() % UInt64(pool.count))]
        var out = "\""
        for scalar in text.unicodeScalars {
            switch (scalar, rng.next() % 3) {
            case ("\"", _): out += "\\\""
            case ("\\", _): out += "\\\\"
            case ("\n", _): out += "\\n"
            case ("/", 0): out += "\\/"
            case (_, 0) where scalar.value < 0x10000 && rng.next() % 4 == 0:
                out += String(format: "\\u%04x", scalar.value)
            case (_, _) where scalar.value < 0x20: out += String(format: "\\u%04X", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static let keyPool = ["wasmcloud.dev/appspec", "wasmcloud.dev/scaler", "a", "aA", "A", "", "é", "e\u{301}", "k\"q", "x/y",
                          "tab\there", "\u{1F680}", "hostcore.arch", "zone", "zone "]
    static let valuePool = ["", "wadm", "default", "x86_64", "é", "e\u{301}", "line\nbreak", "\u{1F680} rocket", "a\\b",
                            "scale-app-00001-scale-component-000012", "\u{7}"]

    /// A map's text: up to five pairs, keys sometimes repeated (then JSONDecoder and the scanner
    /// must not both accept with different values), random whitespace.
    static func randomMap(_ rng: inout XorShift) -> [UInt8] {
        let space = ["", " ", "\n  "]
        func ws(_ rng: inout XorShift) -> String { space[Int(rng.next() % 3)] }
        var pairs: [String] = []
        for _ in 0..<Int(rng.next() % 6) {
            pairs.append(quoted(&rng, from: keyPool) + ws(&rng) + ":" + ws(&rng) + quoted(&rng, from: valuePool))
        }
        return Array(("{" + ws(&rng) + pairs.joined(separator: "," + ws(&rng)) + ws(&rng) + "}").utf8)
    }

    /// Random maps, then each damaged: whatever is accepted is JSONDecoder's map, read the first
    /// time or found kept the second; whatever is declined is declined again.
    @Test func mapsFoundKeptAreJSONDecodersMaps() {
        let maps = StringMapInterner(buckets: 8, ways: 2, maxBytes: 512, maxPairs: 32)
        var rng = XorShift(seed: 1_413)
        var accepted = 0, declined = 0, found = 0
        var texts: [[UInt8]] = []
        for _ in 0..<400 { texts.append(Self.randomMap(&rng)) }
        for round in 0..<6_000 {
            var text = texts[round % texts.count]
            if round >= texts.count { rng.damage(&text) }
            let hitsBefore = maps.hits
            let first = Self.read(text, maps), second = Self.read(text, maps)
            if maps.hits > hitsBefore { found += 1 }
            #expect(first == second, "\(String(decoding: text, as: UTF8.self))")
            if let first {
                accepted += 1
                #expect(first == Self.decoded(text), "\(String(decoding: text, as: UTF8.self))")
            } else {
                declined += 1
            }
        }
        #expect(accepted > 1_000 && declined > 1_000)
        #expect(found > 1_000, "maps read twice in a row were found kept only \(found) times")
        #expect(maps.count <= 16)
    }

    /// The fixture replies read twice through an interner: the same values, JSONDecoder's.
    @Test func fixtureRepliesReadAgainAreTheSame() throws {
        let file = try SharedFixtures.json("v1-constructed/ctl-replies.json")
        let pings = try #require(file["host.ping"]?.arrayValue).map { try $0.bytes() }
        let inventory = try file.memberBytes("host.get.{host_id}")
        let maps = StringMapInterner(buckets: 16, ways: 4, maxBytes: 1_024, maxPairs: 32)
        for ping in pings {
            let expected = try WireJSON.decode(CtlResponse<HostInfo>.self, from: ping)
            #expect(HostReplyDecoder.direct(ping, maps: maps, payload: HostReplyDecoder.hostInfo) == expected)
            #expect(HostReplyDecoder.direct(ping, maps: maps, payload: HostReplyDecoder.hostInfo) == expected)
        }
        let expected = try WireJSON.decode(CtlResponse<HostInventory>.self, from: inventory)
        #expect(HostReplyDecoder.direct(inventory, maps: maps, payload: HostReplyDecoder.hostInventory) == expected)
        let hits = maps.hits
        #expect(HostReplyDecoder.direct(inventory, maps: maps, payload: HostReplyDecoder.hostInventory) == expected)
        #expect(maps.hits > hits, "the fixture inventory's maps were not found kept")
    }

    /// Spelled otherwise, a map is another entry with the same value; a repeated key is declined
    /// every time and never kept; equal hashes of different texts are told apart by their bytes.
    @Test func escapesRepeatedKeysAndCollisions() throws {
        let maps = StringMapInterner(buckets: 4, ways: 4, maxBytes: 1_024, maxPairs: 32)
        let plain = Array(#"{"aA":"x","wasmcloud.dev/k":"é"}"#.utf8)
        let escaped = Array(#"{"a\u0041":"x","wasmcloud.dev\/k":"\u00e9"}"#.utf8)
        let a = try #require(Self.read(plain, maps)), b = try #require(Self.read(escaped, maps))
        #expect(a == ["aA": "x", "wasmcloud.dev/k": "é"] && b == a)
        #expect(maps.count == 2)
        let again = try #require(Self.read(escaped, maps))
        #expect(Self.table(again) == Self.table(b) && again == a)
        for text in [#"{"aA":"1","a\u0041":"2"}"#, #"{"k":"1","k":"1"}"#, #"{"k":"1","v":2}"#] {
            #expect(Self.read(Array(text.utf8), maps) == nil && Self.read(Array(text.utf8), maps) == nil, "\(text)")
        }
        #expect(maps.count == 2, "a declined map was kept")
        // Equal hashes: only equal bytes are found.
        let one = Array(#"{"k":"1"}"#.utf8), two = Array(#"{"k":"2"}"#.utf8)
        one.withUnsafeBytes { maps.keep(["k": "1"], utf8: $0, hash: 7) }
        #expect(two.withUnsafeBytes { maps.lookup($0, hash: 7) } == nil)
        #expect(one.withUnsafeBytes { maps.lookup($0, hash: 7) } == ["k": "1"])
        // A kept map's text followed by more, or cut short, reads as reading it would.
        #expect(Self.read(Array(#"{"aA":"x","wasmcloud.dev/k":"é"}}"#.utf8), maps) == nil)
        #expect(Self.read(Array(#"{"aA":"x","wasmcloud.dev/k":"é""#.utf8), maps) == nil)
    }

    /// Quotes after runs of backslashes (escaped or not), braces inside strings: each map's end is
    /// found, so it is kept and found the second time, with JSONDecoder's values.
    @Test func mapsEndWhereTheirTextEnds() throws {
        let maps = StringMapInterner(buckets: 16, ways: 4, maxBytes: 1_024, maxPairs: 32)
        let texts = [#"{"a\\":"b"}"#, #"{"a\\\"":"b\\\\"}"#, #"{"\"}{[":"]\\"}"#, #"{"k":"\\\\\\\""}"#,
                     #"{"k":"\u005c","\u0022":"\"\\"}"#, #"{ "k" : "v" , "w":"}" }"#]
        for text in texts {
            let bytes = Array(text.utf8)
            let expected = try #require(Self.decoded(bytes), "\(text)")
            let hits = maps.hits
            #expect(Self.read(bytes, maps) == expected, "\(text)")
            #expect(Self.read(bytes, maps) == expected, "\(text)")
            #expect(maps.hits == hits + 1, "\(text) not found kept")
        }
    }

    // MARK: - Bounds

    @Test func boundedAndMapsThatRepeatStay() throws {
        let maps = StringMapInterner(buckets: 4, ways: 2, maxBytes: 64, maxPairs: 3)
        let common = Array(#"{"wasmcloud.dev/appspec":"common","zone":"z"}"#.utf8)
        _ = Self.read(common, maps)
        for i in 0..<500 {
            let text = Array(#"{"wasmcloud.dev/appspec":"app-\#(i)","zone":"z"}"#.utf8)
            #expect(Self.read(text, maps) == ["wasmcloud.dev/appspec": "app-\(i)", "zone": "z"])
            #expect(Self.read(common, maps) == ["wasmcloud.dev/appspec": "common", "zone": "z"])
            #expect(maps.count <= 8)
        }
        #expect(maps.count == 8, "entries are reused, not added")
        #expect(maps.hits == 500, "the map read between every other was turned over")
        // Too long, too many pairs: read, not kept.
        let hits = maps.hits
        let long = Array(#"{"k":"\#(String(repeating: "v", count: 64))"}"#.utf8)
        let many = Array(#"{"a":"1","b":"2","c":"3","d":"4"}"#.utf8)
        for _ in 0..<2 {
            #expect(Self.read(long, maps) == ["k": String(repeating: "v", count: 64)])
            #expect(Self.read(many, maps) == ["a": "1", "b": "2", "c": "3", "d": "4"])
        }
        #expect(maps.hits == hits)
        // None at all.
        let none = StringMapInterner(buckets: 0, ways: 1, maxBytes: 64, maxPairs: 3)
        #expect(Self.read(common, none) == Self.read(common, none))
        #expect(none.count == 0 && none.hits == 0)
    }

    /// Readers on several threads at once, few entries for many maps: every map read is right.
    @Test func concurrentReadersGetTheirMaps() async {
        let maps = StringMapInterner(buckets: 2, ways: 2, maxBytes: 1_024, maxPairs: 32)
        let wrong = await withTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var wrong = 0
                    for i in 0..<2_000 {
                        let n = (i * 7 + task) % 12
                        let expected = ["wasmcloud.dev/appspec": "app-\(n)", "wasmcloud.dev/scaler": "scaler-for-app-\(n)"]
                        let text = Array(#"{"wasmcloud.dev/appspec":"app-\#(n)","wasmcloud.dev/scaler":"scaler-for-app-\#(n)"}"#.utf8)
                        if Self.read(text, maps) != expected { wrong += 1 }
                    }
                    return wrong
                }
            }
            return await group.reduce(0, +)
        }
        #expect(wrong == 0)
        #expect(maps.count <= 4)
        #expect(maps.hits > 0)
    }
}
