import Foundation
import Testing
import LatticeProtocol

/// Hostile or broken input must produce errors, never traps.
@Suite struct MalformedInputTests {
    func sampleEvent() throws -> Data {
        try #require(try SharedFixtures.json("v1-constructed/events-v1.9.json").arrayValue?[9]).bytes()
    }

    @Test func everyTruncationOfAnEventIsAnError() throws {
        let full = try sampleEvent()
        #expect(full.count > 1000)
        for length in stride(from: 0, to: full.count, by: 7) {
            let truncated = full.prefix(length)
            guard case .failure(let error) = LatticeEventDecoder.decode(Data(truncated)) else {
                Issue.record("truncated event of \(length) bytes decoded"); continue
            }
            #expect(error.raw == Data(truncated))
            if case .unsupported = error { Issue.record("truncation reported as unsupported") }
        }
        #expect(throws: (any Error).self) { try CtlRequestBody.decode(full.prefix(20), for: .linkPut) }
        #expect(throws: (any Error).self) { try V2HostHeartbeat.decode(full.prefix(20)) }
        #expect(throws: (any Error).self) { try CtlReply.decode(full.prefix(20), for: .hostGet) }
    }

    @Test func notACloudEvent() {
        for text in ["[]", "42", "\"text\"", "null", "{}", #"{"type":7}"#, #"{"type":"x","source":[]}"#, #"{"type":"x","time":1}"#] {
            guard case .failure(.invalidEnvelope(let reason, let raw)) = LatticeEventDecoder.decode(Data(text.utf8)) else {
                Issue.record("\(text) should be an invalid envelope"); continue
            }
            #expect(!reason.isEmpty)
            #expect(raw == Data(text.utf8))
        }
        for text in ["", "{", "{\"type\":", "nope", "{\"type\":\"x\"}garbage", "\u{FEFF}"] {
            guard case .failure(.invalidJSON) = LatticeEventDecoder.decode(Data(text.utf8)) else {
                Issue.record("\(text.debugDescription) should be invalid JSON"); continue
            }
        }
    }

    @Test func wrongTypesInsideData() {
        let cases = [
            #"{"type":"com.wasmcloud.lattice.host_heartbeat","data":{"components":"none","providers":[]}}"#,
            #"{"type":"com.wasmcloud.lattice.host_heartbeat","data":{"components":[],"providers":[],"uptime_seconds":-5}}"#,
            #"{"type":"com.wasmcloud.lattice.host_started","data":{"labels":{"a":1}}}"#,
            #"{"type":"com.wasmcloud.lattice.linkdef_set","data":{"source_id":"s","target":"t","wit_namespace":"n","wit_package":"p","interfaces":"i"}}"#,
            #"{"type":"com.wasmcloud.lattice.component_scaled","data":{"component_id":"c","max_instances":4294967296}}"#,
            #"{"type":"com.wasmcloud.lattice.component_scaled","data":{"component_id":"c","max_instances":1.5}}"#,
        ]
        for json in cases {
            guard case .failure(.unsupported(_, let reason, _)) = LatticeEventDecoder.decode(Data(json.utf8)) else {
                Issue.record("expected unsupported: \(json)"); continue
            }
            #expect(reason.contains("at data"), "\(reason)")
        }
    }

    @Test func deepNestingIsRejectedNotCrashing() {
        for depth in [600, 10_000, 200_000] {
            let nested = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            let event = #"{"type":"com.example.deep","data":"# + nested + "}"
            let result = LatticeEventDecoder.decode(Data(event.utf8))
            if case .success = result { Issue.record("nesting depth \(depth) was accepted") }
            #expect(throws: (any Error).self) { try JSONValue(jsonData: Data(nested.utf8)) }
            #expect(throws: (any Error).self) { try CtlRequestBody.decode(Data(nested.utf8), for: .registryPut) }
        }
        // Moderate nesting of unknown data is fine and kept.
        let shallow = #"{"type":"com.example.deep","data":[[[[1]]]]}"#
        #expect((try? LatticeEventDecoder.decode(Data(shallow.utf8)).get())?.knownType == nil)
    }

    @Test func invalidUTF8IsAnError() {
        var bytes = Array(#"{"type":"com.wasmcloud.lattice.config_set","data":{"config_name":"x"#.utf8)
        bytes += [0xC3, 0x28, 0xFF]
        bytes += Array(#""}}"#.utf8)
        guard case .failure(.invalidJSON(_, let raw)) = LatticeEventDecoder.decode(Data(bytes)) else {
            Issue.record("invalid UTF-8 accepted"); return
        }
        #expect(raw == Data(bytes))
        #expect(throws: (any Error).self) { try CtlRequestBody.decode(Data([0x7B, 0xFF, 0x7D]), for: .labelPut) }
        #expect(throws: (any Error).self) { try V2HostHeartbeat.decode(Data([0xFE, 0xFF])) }
        // Invalid UTF-8 in a key nobody reads is still rejected.
        let unusedKey = Array(#"{"type":"com.wasmcloud.lattice.config_set","junk":""#.utf8) + [0xFF] + Array(#"","data":{"config_name":"x"}}"#.utf8)
        guard case .failure(.invalidJSON(let reason, _)) = LatticeEventDecoder.decode(Data(unusedKey)) else {
            Issue.record("invalid UTF-8 in an unused key accepted"); return
        }
        #expect(reason.contains("byte offset 51"), "\(reason)")
        #expect(WireJSON.firstInvalidUTF8Offset(Data("héllo".utf8)) == nil)
        #expect(WireJSON.firstInvalidUTF8Offset(Data([0x61, 0xE2, 0x82])) == 1)
    }

    @Test func hugeAndOddValues() throws {
        let longID = String(repeating: "a", count: 1_000_000)
        let json = #"{"type":"com.wasmcloud.lattice.config_set","source":"N","data":{"config_name":""# + longID + #""}}"#
        let event = try LatticeEventDecoder.decode(Data(json.utf8)).get()
        #expect(event.payload == .configSet(ConfigEvent(configName: longID)))
        let escaped = #"{"type":"com.wasmcloud.lattice.config_set","data":{"config_name":"\u001b[31m\u0000"}}"#
        let control = try LatticeEventDecoder.decode(Data(escaped.utf8)).get()
        #expect(control.payload == .configSet(ConfigEvent(configName: "\u{1B}[31m\u{0}")), "decoded verbatim; sanitising is the UI's job")
        #expect(throws: DecodingError.self) {
            try WireJSON.decode(CtlResponse<HostInfo>.self, from: Data(#"{"success":true,"message":"","response":{"friendly_name":"x"}}"#.utf8))
        }
    }
}
