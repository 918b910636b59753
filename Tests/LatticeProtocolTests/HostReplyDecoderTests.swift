import Foundation
import Testing
import LatticeProtocol

/// `HostReplyDecoder` reads the `host.ping` and `host.get` replies directly: every reply it reads
/// must decode to what `JSONDecoder` gives, and every reply `JSONDecoder` refuses must be refused
/// (with `JSONDecoder`'s error).
@Suite struct HostReplyDecoderTests {
    func codablePing(_ data: Data) -> CtlResponse<HostInfo>? { try? WireJSON.decode(CtlResponse<HostInfo>.self, from: data) }
    func codableInventory(_ data: Data) -> CtlResponse<HostInventory>? {
        try? WireJSON.decode(CtlResponse<HostInventory>.self, from: data)
    }

    /// The ping and inventory replies in the fixtures (each as the fixture file has it, and as
    /// compact wire bytes).
    func fixtureReplies() throws -> (pings: [Data], inventories: [Data]) {
        let file = try SharedFixtures.json("v1-constructed/ctl-replies.json")
        let pings = try #require(file["host.ping"]?.arrayValue).map { try $0.bytes() }
        let inventories = try file.memberBytes("host.get.{host_id}")
        return (pings, [inventories])
    }

    /// An inventory as a real host's reply is shaped, with the odd values a host may send.
    static let busyInventory = HostInventory(
        components: (0..<5).map(component),
        providers: [
            ProviderDescription(id: "prov-0", imageRef: "ghcr.io/wasmcloud/http-server:0.27.0", name: "HTTP Server",
                                revision: Int32.min, annotations: ["a": "b"]),
            ProviderDescription(id: "prov-1", imageRef: nil, name: nil, revision: 0, annotations: nil),
        ],
        hostID: "NUJZDEGXDNCF32EPF3DHODZDOCIS2JHTLGMXGEDN73U55XTPLPFT7V4S", friendlyName: "quiet-meadow-4821",
        labels: ["hostcore.arch": "x86_64", "hostcore.os": "linux", "zone": "eu-west \u{7}"], version: "1.9.2",
        uptimeHuman: "5m 12s", uptimeSeconds: UInt64.max)

    static func component(_ i: Int) -> ComponentDescription {
        let name: String? = i == 0 ? nil : "Component \"\(i)\" \u{1F680} é\\/\n\t"
        let annotations: [String: String]? = i == 1 ? nil : ["wasmcloud.dev/appspec": "app-\(i)", "k": ""]
        let revision: Int32 = i == 2 ? -3 : Int32(i)
        let maxInstances: UInt32 = i == 3 ? UInt32.max : 100
        let limits: [String: String]? = i == 4 ? ["cpu": "1"] : nil
        return ComponentDescription(id: "comp-\(i)", imageRef: "ghcr.io/wasmcloud/components/c\(i):0.1.\(i)", name: name,
                                    annotations: annotations, revision: revision, maxInstances: maxInstances, limits: limits)
    }

    @Test func realRepliesAreReadDirectlyToWhatJSONDecoderGives() throws {
        let (pings, inventories) = try fixtureReplies()
        #expect(pings.count == 2)
        for ping in pings {
            let direct = try #require(HostReplyDecoder.directPing(ping), "the direct reading declined a fixture ping")
            #expect(direct == codablePing(ping))
            #expect(try HostReplyDecoder.ping(ping) == direct)
        }
        for inventory in inventories {
            let direct = try #require(HostReplyDecoder.directInventory(inventory), "the direct reading declined a fixture inventory")
            #expect(direct == codableInventory(inventory))
            #expect(direct.response?.components.first?.limits == nil)
        }
    }

    @Test func encodedRepliesRoundTripDirectly() throws {
        let reply = CtlResponse<HostInventory>.ok(Self.busyInventory)
        let data = try WireJSON.encode(reply)
        #expect(HostReplyDecoder.directInventory(data) == reply)
        #expect(codableInventory(data) == reply)
        let info = HostInfo(id: "N1", friendlyName: "a \"b\" \u{10FFFF}", labels: ["x": "y"], lattice: "default",
                            uptimeSeconds: 0, uptimeHuman: nil, version: "1.9.2", ctlHost: "nats://x:4222", rpcHost: nil,
                            jsDomain: "core")
        let ping = try WireJSON.encode(CtlResponse<HostInfo>.ok(info))
        #expect(HostReplyDecoder.directPing(ping) == CtlResponse<HostInfo>.ok(info))
        // Pretty-printed, keys in another order: the same.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted]
        let pretty = try encoder.encode(reply)
        #expect(HostReplyDecoder.directInventory(pretty) == reply, "\(String(decoding: pretty, as: UTF8.self))")
    }

    /// The shapes `CtlResponse`, `HostInfo` and `HostInventory` read specially.
    @Test func specialShapesMatchTheCodablePath() throws {
        let cases: [String] = [
            #"{"success":true,"response":{"id":"N1"}}"#,
            #"{"success":false,"message":"nope"}"#,
            #"{"error":"boom","response":null}"#,
            #"{"error":null,"success":true,"message":null,"response":{"id":"N1","labels":null,"uptime_seconds":null}}"#,
            #"{"success":true,"response":{"id":"N\u0031\ud83d\ude80","extra":[1,{"a":[true,false,null]},"\\"]}}"#,
            #"{"success":true,"response":{"id":"N1","uptime_seconds":1.0}}"#,
            #"{"success":true,"response":{"id":"N1","uptime_seconds":-1}}"#,
            #"{"success":true,"response":{"id":"N1","uptime_seconds":18446744073709551616}}"#,
            #"{"success":true,"response":{"id":"N1","uptime_seconds":01}}"#,
            #"{"success":true,"response":{"id":"N1","big":-9223372036854775808,"bigger":99999999999999999999}}"#,
            #"{"success":true,"response":{"id":"N1","labels":{"a":"1","a":"2"}}}"#,
            #"{"success":true,"response":{"id":"N1","id":"N2"}}"#,
            #"{"success":true,"response":{"id":"\ud800"}}"#,
            #"{"success":true,"response":{"id":null}}"#,
            #"{"success":true,"response":{}}"#,
            #"{"success":"yes"}"#,
            #"{"success":true} x"#,
            #"{"success":true,}"#,
            #"{"suc\u0063ess":true}"#,
            "{\"success\":true,\"message\":\"tab\there\"}",
            "  {\"success\" : true , \"message\" : \"\" }  \n",
            #"[]"#, #""#, #"null"#,
        ]
        for text in cases {
            let data = Data(text.utf8)
            let expected = codablePing(data)
            #expect((try? HostReplyDecoder.ping(data)) == expected, "\(text)")
            if let direct = HostReplyDecoder.directPing(data) { #expect(direct == expected, "\(text)") }
        }
        let inventories: [String] = [
            #"{"success":true,"response":{"actors":[{"id":"c1"}],"providers":[]}}"#,
            #"{"success":true,"response":{"components":[{"id":"c1"}],"actors":[],"providers":[]}}"#,
            #"{"success":true,"response":{"components":null,"actors":[{"id":"c1"}],"providers":[]}}"#,
            #"{"success":true,"response":{"components":[],"providers":null}}"#,
            #"{"success":true,"response":{"components":[]}}"#,
            #"{"success":true,"response":{"components":[{"id":"c","revision":2147483648}],"providers":[]}}"#,
            #"{"success":true,"response":{"components":[{"id":"c","max_instances":-1}],"providers":[]}}"#,
            #"{"success":true,"response":{"components":[{"id":"c","annotations":null,"limits":{"x":"1"}}],"providers":[{"id":"p","image_ref":null}]}}"#,
        ]
        for text in inventories {
            let data = Data(text.utf8)
            let expected = codableInventory(data)
            #expect((try? HostReplyDecoder.inventory(data)) == expected, "\(text)")
            if let direct = HostReplyDecoder.directInventory(data) { #expect(direct == expected, "\(text)") }
        }
        // The legacy key is read directly, not only through the fallback.
        #expect(HostReplyDecoder.directInventory(Data(inventories[0].utf8))?.response?.components.map(\.id) == ["c1"])
    }

    @Test func badRepliesFailWithJSONDecodersError() throws {
        let (_, inventories) = try fixtureReplies()
        let full = try #require(inventories.first)
        var invalid = full
        invalid[invalid.count / 2] = 0xFF
        for bad in [full.prefix(full.count / 2), invalid, Data("{}".utf8), Data()] {
            #expect(HostReplyDecoder.directInventory(Data(bad)) == nil)
            var direct: String?, codable: String?
            do { _ = try HostReplyDecoder.inventory(Data(bad)) } catch { direct = String(describing: error) }
            do { _ = try WireJSON.decode(CtlResponse<HostInventory>.self, from: Data(bad)) } catch { codable = String(describing: error) }
            #expect(direct != nil && direct == codable)
        }
    }

    /// Random damage to real replies (bytes changed, dropped, repeated; tokens put in): whatever
    /// the direct reading accepts, `JSONDecoder` decodes to the same; it never traps.
    @Test func damagedRepliesNeverDisagreeWithJSONDecoder() throws {
        let (pings, inventories) = try fixtureReplies()
        let seeds = pings + inventories + [try WireJSON.encode(CtlResponse<HostInventory>.ok(Self.busyInventory))]
        var rng = XorShift(seed: 14)
        var accepted = 0, declined = 0
        for round in 0..<6_000 {
            var bytes = [UInt8](seeds[round % seeds.count])
            rng.damage(&bytes)
            let data = Data(bytes)
            if round % seeds.count < pings.count {
                let direct = HostReplyDecoder.directPing(data)
                if let direct { #expect(direct == codablePing(data), "\(String(decoding: bytes, as: UTF8.self))") }
                direct == nil ? (declined += 1) : (accepted += 1)
            } else {
                let direct = HostReplyDecoder.directInventory(data)
                if let direct { #expect(direct == codableInventory(data), "\(String(decoding: bytes, as: UTF8.self))") }
                direct == nil ? (declined += 1) : (accepted += 1)
            }
        }
        // Both ways are exercised.
        #expect(accepted > 500 && declined > 500)
    }
}

/// A small seeded generator (xorshift), so a failure repeats.
struct XorShift {
    var state: UInt64
    init(seed: UInt64) { state = seed | 1 }
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }

    static let damageTokens: [[UInt8]] = [#"""#, "\\", "{", "}", "[", "]", ",", ":", "null", "true", "-", "0", "1.5", "e9",
                                          #"\u00e9"#, #"\ud83d"#, " ", "\u{0}", "é"].map { Array($0.utf8) }

    /// One to three random changes to JSON bytes: a byte changed or dropped, a token put in, a few
    /// bytes dropped, or (`truncating`) the rest cut off. Never leaves them empty.
    mutating func damage(_ bytes: inout [UInt8], truncating: Bool = false) {
        for _ in 0..<(1 + Int(next() % 3)) {
            let at = Int(next() % UInt64(bytes.count))
            switch next() % (truncating ? 5 : 4) {
            case 0: bytes[at] = UInt8(truncatingIfNeeded: next())
            case 1: bytes.remove(at: at)
            case 2: bytes.insert(contentsOf: Self.damageTokens[Int(next() % UInt64(Self.damageTokens.count))], at: at)
            case 3: bytes.removeSubrange(at..<min(bytes.count, at + Int(next() % 8)))
            default: bytes.removeSubrange(at...)
            }
            if bytes.isEmpty { bytes = [UInt8(ascii: "{")] }
        }
    }
}

/// `JSONScanner.stringMap` reads a map's pairs first and makes the map at its size: the maps it
/// makes equal, and have the table of, a map grown one pair at a time.
@Suite struct StringMapSizingTests {
    @Test func mapsOfEverySizeAreTheMapsGrownAPairAtATime() throws {
        for n in 0...40 {
            var grown: [String: String] = [:]
            for i in 0..<n { grown["wasmcloud.dev/annotation-key-\(i)"] = "value-\(i)" }
            let components = [ComponentDescription(id: "c", imageRef: "ghcr.io/x:1", name: nil, annotations: grown, revision: 0,
                                                   maxInstances: 1, limits: nil)]
            let reply = CtlResponse<HostInventory>.ok(HostInventory(components: components, providers: [], hostID: "N", friendlyName: "",
                                                                    labels: grown, version: "", uptimeHuman: "", uptimeSeconds: 0))
            let direct = try #require(HostReplyDecoder.directInventory(try WireJSON.encode(reply)))
            #expect(direct == reply)
            let annotations = try #require(direct.response?.components.first?.annotations)
            #expect(annotations == grown)
            #expect(annotations.capacity == grown.capacity, "\(n) pairs")
            #expect(direct.response?.labels.capacity == grown.capacity, "\(n) pairs")
        }
        // A repeated key is still declined, wherever it is.
        for text in [#"{"a":"1","a":"2"}"#, #"{"a":"1","b":"2","a":"3","c":"4"}"#, #"{"b":"1","a\u0041":"2","aA":"3"}"#] {
            let reply = #"{"success":true,"response":{"id":"N1","labels":\#(text)}}"#
            #expect(HostReplyDecoder.directPing(Data(reply.utf8)) == nil, "\(text)")
        }
    }
}
