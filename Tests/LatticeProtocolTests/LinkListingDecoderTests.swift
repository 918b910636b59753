import Foundation
import Testing
import LatticeProtocol

/// `HostReplyDecoder.links` reads a `link.get` reply directly: every listing it reads must decode
/// to what `JSONDecoder` gives, and every listing `JSONDecoder` refuses must be refused (with
/// `JSONDecoder`'s error).
@Suite struct LinkListingDecoderTests {
    func codable(_ data: Data) -> CtlResponse<[Link]>? { try? WireJSON.decode(CtlResponse<[Link]>.self, from: data) }

    /// Links as a big lattice lists them, with the odd values a host may send.
    static func links(_ n: Int) -> [Link] {
        (0..<n).map { i in
            Link(sourceID: "comp-\(i)", target: i % 3 == 0 ? "prov-\(i % 7)" : "comp-\(i + 1)",
                 name: i % 5 == 0 ? Link.defaultName : "name \"\(i)\" \u{1F680} é\\/\n\t",
                 witNamespace: "wasi", witPackage: i % 2 == 0 ? "keyvalue" : "http",
                 interfaces: i % 4 == 0 ? [] : ["store", "atomics-\(i)"],
                 sourceConfig: i % 6 == 0 ? ["SECRET_x", "cfg-\(i)"] : [], targetConfig: i % 9 == 0 ? ["t-\(i)"] : [])
        }
    }

    @Test func theFixtureListingIsReadDirectlyToWhatJSONDecoderGives() throws {
        let data = try SharedFixtures.json("v1-constructed/ctl-replies.json").memberBytes("link.get")
        let direct = try #require(HostReplyDecoder.directLinks(data), "the direct reading declined the fixture listing")
        #expect(direct == codable(data))
        #expect(direct.response?.count == 2)
        #expect(try HostReplyDecoder.links(data) == direct)
    }

    @Test func encodedListingsRoundTripDirectly() throws {
        for n in [0, 1, 40] {
            let reply = CtlResponse<[Link]>.ok(Self.links(n))
            let data = try WireJSON.encode(reply)
            #expect(HostReplyDecoder.directLinks(data) == reply)
            #expect(codable(data) == reply)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted]
            #expect(HostReplyDecoder.directLinks(try encoder.encode(reply)) == reply)
        }
    }

    /// The shapes `Link` and `CtlResponse` read specially: defaults, `null`, missing and extra keys.
    @Test func specialShapesMatchTheCodablePath() throws {
        let base = #""source_id":"a","target":"b","wit_namespace":"wasi","wit_package":"http","interfaces":["x"]"#
        let cases: [String] = [
            #"{"success":true,"response":[{\#(base)}]}"#,
            #"{"success":true,"response":[{\#(base),"name":null,"source_config":null,"target_config":null}]}"#,
            #"{"success":true,"response":[{\#(base),"name":"n","source_config":["c"],"target_config":[]}]}"#,
            #"{"success":true,"response":[{\#(base),"extra":{"k":[1,null,true]},"name":"\u0041\ud83d\ude80"}]}"#,
            #"{"success":true,"response":[{\#(base),"source_config":[null]}]}"#,
            #"{"success":true,"response":[{\#(base),"source_config":"c"}]}"#,
            #"{"success":true,"response":[{\#(base),"name":1}]}"#,
            #"{"success":true,"response":[{\#(base),"target":"c"}]}"#,
            #"{"success":true,"response":[{"source_id":"a","target":"b","wit_namespace":"wasi","wit_package":"http"}]}"#,
            #"{"success":true,"response":[{"source_id":"a","target":"b","wit_namespace":"wasi","wit_package":"http","interfaces":null}]}"#,
            #"{"success":true,"response":[{"source_id":null,"target":"b","wit_namespace":"wasi","wit_package":"http","interfaces":[]}]}"#,
            #"{"success":true,"response":[{"target":"b","wit_namespace":"wasi","wit_package":"http","interfaces":[]}]}"#,
            #"{"success":true,"response":[{\#(base)},null]}"#,
            #"{"success":true,"response":[]}"#,
            #"{"success":true,"response":null}"#,
            #"{"success":true}"#,
            #"{"success":false,"message":"no"}"#,
            #"{"error":"boom","response":[]}"#,
            #"{"success":true,"response":{}}"#,
            #"{"success":true,"response":[{\#(base)}],}"#,
            #"{"success":true,"response":[{\#(base)}]} x"#,
            #"[]"#, #""#, #"null"#,
        ]
        for text in cases {
            let data = Data(text.utf8)
            let expected = codable(data)
            #expect((try? HostReplyDecoder.links(data)) == expected, "\(text)")
            if let direct = HostReplyDecoder.directLinks(data) { #expect(direct == expected, "\(text)") }
        }
        // The plain shapes are read directly, not only through the fallback.
        #expect(HostReplyDecoder.directLinks(Data(cases[0].utf8))?.response?.first?.name == Link.defaultName)
        #expect(HostReplyDecoder.directLinks(Data(cases[2].utf8))?.response?.first?.sourceConfig == ["c"])
    }

    @Test func badListingsFailWithJSONDecodersError() throws {
        let full = try WireJSON.encode(CtlResponse<[Link]>.ok(Self.links(10)))
        var invalid = full
        invalid[invalid.count / 2] = 0xFF
        for bad in [full.prefix(full.count / 2), invalid, Data("{}".utf8), Data()] {
            #expect(HostReplyDecoder.directLinks(Data(bad)) == nil)
            var direct: String?, codable: String?
            do { _ = try HostReplyDecoder.links(Data(bad)) } catch { direct = String(describing: error) }
            do { _ = try WireJSON.decode(CtlResponse<[Link]>.self, from: Data(bad)) } catch { codable = String(describing: error) }
            #expect(direct != nil && direct == codable)
        }
    }

    /// Random damage to listings: whatever the direct reading accepts, `JSONDecoder` decodes to
    /// the same; it never traps.
    @Test func damagedListingsNeverDisagreeWithJSONDecoder() throws {
        let seeds = [try SharedFixtures.json("v1-constructed/ctl-replies.json").memberBytes("link.get"),
                     try WireJSON.encode(CtlResponse<[Link]>.ok(Self.links(6)))]
        var rng = XorShift(seed: 41)
        var accepted = 0, declined = 0
        for round in 0..<4_000 {
            var bytes = [UInt8](seeds[round % seeds.count])
            rng.damage(&bytes)
            let data = Data(bytes)
            let direct = HostReplyDecoder.directLinks(data)
            if let direct { #expect(direct == codable(data), "\(String(decoding: bytes, as: UTF8.self))") }
            direct == nil ? (declined += 1) : (accepted += 1)
        }
        #expect(accepted > 300 && declined > 300)
    }
}
