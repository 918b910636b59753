import Foundation
import Testing
import LatticeProtocol

/// Exact wire keys of every request body, and lenient decoding the way the host does it.
@Suite struct RequestWireShapeTests {
    @Test func scaleUsesCountNeverMaxInstances() throws {
        let command = ScaleComponentCommand(componentID: "c", componentRef: "ghcr.io/a:1", count: 3)
        let data = try WireJSON.encode(command)
        #expect(try topLevelKeys(data) == ["component_ref", "component_id", "count", "host_id", "config", "allow_update"])
        #expect(try jsonValue(data)["count"] == .int(3))
        #expect(String(decoding: data, as: UTF8.self).contains("max_instances") == false)
        #expect(String(decoding: data, as: UTF8.self).contains("ghcr.io/a:1"), "slashes are not escaped")

        let full = ScaleComponentCommand(componentID: "c", count: 1, annotations: ["a": "b"], allowUpdate: true,
                                         componentLimits: ["max_execution_time": "30"])
        #expect(try topLevelKeys(WireJSON.encode(full)) ==
                ["component_ref", "component_id", "count", "host_id", "config", "allow_update", "annotations", "component_limits"])
    }

    @Test func scaleDecodesLikeTheHost() throws {
        // `max_instances` is ignored by the host, so the count is 0 (= stop).
        let wrong = try WireJSON.decode(ScaleComponentCommand.self, from: Data(#"{"component_id":"c","max_instances":5}"#.utf8))
        #expect(wrong.count == 0)
        let minimal = try WireJSON.decode(ScaleComponentCommand.self, from: Data(#"{"component_id":"c","count":4294967295,"extra":[1]}"#.utf8))
        #expect(minimal == ScaleComponentCommand(componentID: "c", count: .max))
        #expect(throws: DecodingError.self) { try WireJSON.decode(ScaleComponentCommand.self, from: Data(#"{"count":1}"#.utf8)) }
        #expect(throws: DecodingError.self) { try WireJSON.decode(ScaleComponentCommand.self, from: Data(#"{"component_id":"c","count":-1}"#.utf8)) }
    }

    @Test func stopHostEncodesEmptyObject() throws {
        #expect(try WireJSON.encode(StopHostCommand()) == Data("{}".utf8))
        #expect(try WireJSON.encode(StopHostCommand(timeout: 500)) == Data(#"{"timeout":500}"#.utf8))
        #expect(try StopHostCommand.decodeRequestBody(Data()) == StopHostCommand())
        #expect(try StopHostCommand.decodeRequestBody(Data(" \n".utf8)) == StopHostCommand())
        #expect(try CtlRequestBody.decode(Data(), for: .hostStop) == .stopHost(StopHostCommand()))
    }

    @Test func otherRequestShapes() throws {
        #expect(try topLevelKeys(WireJSON.encode(UpdateComponentCommand(componentID: "c", newComponentRef: "r"))) ==
                ["component_id", "new_component_ref", "host_id"])
        #expect(try topLevelKeys(WireJSON.encode(StartProviderCommand(providerID: "p", providerRef: "r"))) ==
                ["provider_id", "provider_ref", "host_id", "config"])
        #expect(try topLevelKeys(WireJSON.encode(StopProviderCommand(providerID: "p"))) == ["host_id", "provider_id"])
        #expect(try topLevelKeys(WireJSON.encode(Link(sourceID: "s", target: "t", witNamespace: "wasi", witPackage: "http", interfaces: ["x"]))) ==
                ["source_id", "target", "name", "wit_namespace", "wit_package", "interfaces", "source_config", "target_config"])
        #expect(try topLevelKeys(WireJSON.encode(DeleteInterfaceLinkDefinitionRequest(sourceID: "s", witNamespace: "n", witPackage: "p"))) ==
                ["source_id", "name", "wit_namespace", "wit_package"])
        #expect(try topLevelKeys(WireJSON.encode(ComponentAuctionRequest(componentID: "c", constraints: [:]))) ==
                ["component_ref", "component_id", "constraints"])
        #expect(try topLevelKeys(WireJSON.encode(ProviderAuctionRequest(providerID: "p", constraints: [:]))) ==
                ["provider_ref", "provider_id", "constraints"])
        #expect(try WireJSON.encode(RegistryCredential(token: "t")) == Data(#"{"registryType":"oci","token":"t"}"#.utf8))
        #expect(try WireJSON.encode(HostLabel(key: "k", value: "v")) == Data(#"{"key":"k","value":"v"}"#.utf8))
        #expect(try WireJSON.encode(HealthCheckResponse(healthy: true)) == Data(#"{"healthy":true}"#.utf8))
    }

    @Test func lenientDecodingDefaults() throws {
        let link = try WireJSON.decode(Link.self, from: Data(
            #"{"source_id":"s","target":"t","wit_namespace":"wasi","wit_package":"http","interfaces":["a"],"unknown":true}"#.utf8))
        #expect(link.name == "default")
        #expect(link.sourceConfig == [] && link.targetConfig == [])
        #expect(throws: DecodingError.self) {
            try WireJSON.decode(Link.self, from: Data(#"{"source_id":"s","wit_namespace":"wasi","wit_package":"http","interfaces":[]}"#.utf8))
        }

        let aliased = try WireJSON.decode(StopProviderCommand.self, from: Data(#"{"provider_ref":"p1"}"#.utf8))
        #expect(aliased == StopProviderCommand(providerID: "p1"))
        let both = try WireJSON.decode(StopProviderCommand.self, from: Data(#"{"provider_id":"id","provider_ref":"ref"}"#.utf8))
        #expect(both.providerID == "id")

        let start = try WireJSON.decode(StartProviderCommand.self, from: Data(#"{"provider_id":"p"}"#.utf8))
        #expect(start == StartProviderCommand(providerID: "p", providerRef: ""))
        let update = try WireJSON.decode(UpdateComponentCommand.self, from: Data("{}".utf8))
        #expect(update == UpdateComponentCommand(componentID: "", newComponentRef: ""))
        let credential = try WireJSON.decode(RegistryCredential.self, from: Data(#"{"username":"u"}"#.utf8))
        #expect(credential.registryType == "oci")
        let deletion = try WireJSON.decode(DeleteInterfaceLinkDefinitionRequest.self, from: Data(
            #"{"source_id":"s","wit_namespace":"n","wit_package":"p"}"#.utf8))
        #expect(deletion.name == "default")
        #expect(throws: DecodingError.self) { try WireJSON.decode(HostLabel.self, from: Data(#"{"key":"k"}"#.utf8)) }
    }

    @Test func configPutRejectsNonStringValues() {
        #expect(throws: DecodingError.self) { try CtlRequestBody.decode(Data(#"{"a":1}"#.utf8), for: .configPut) }
        #expect(throws: DecodingError.self) { try CtlRequestBody.decode(Data(#"["a"]"#.utf8), for: .configPut) }
        #expect(throws: DecodingError.self) { try CtlRequestBody.decode(Data(), for: .componentScale) }
        #expect((try? CtlRequestBody.decode(Data("garbage".utf8), for: .hostPing)) == .empty)
    }
}

@Suite struct CtlResponseTests {
    @Test func ackOmitsResponse() throws {
        #expect(try WireJSON.encode(CtlAck.ok()) == Data(#"{"message":"","success":true}"#.utf8))
        #expect(try WireJSON.encode(CtlAck.failure("nope")) == Data(#"{"message":"nope","success":false}"#.utf8))
        let withPayload = CtlResponse<ConfigMap>.ok(["k": "v"])
        #expect(try WireJSON.encode(withPayload) == Data(#"{"message":"","response":{"k":"v"},"success":true}"#.utf8))
    }

    @Test func decodeVariants() throws {
        // The docs show `"response": {}` for acks.
        let docsAck = try WireJSON.decode(CtlAck.self, from: Data(#"{"success":true,"message":"ok","response":{}}"#.utf8))
        #expect(docsAck.success && docsAck.response == NoPayload())
        // Emergency fallback key `error` means failure.
        let fallback = try WireJSON.decode(CtlAck.self, from: Data(#"{"success":true,"error":"serialize failed"}"#.utf8))
        #expect(!fallback.success)
        #expect(fallback.failureMessage == "serialize failed")
        let noMessage = try WireJSON.decode(CtlAck.self, from: Data(#"{"success":false}"#.utf8))
        #expect(noMessage.message == "" && noMessage.failureMessage == "")
        let nullResponse = try WireJSON.decode(CtlResponse<HostInfo>.self, from: Data(#"{"success":true,"message":"","response":null}"#.utf8))
        #expect(nullResponse.response == nil)
        #expect(throws: DecodingError.self) { try WireJSON.decode(CtlAck.self, from: Data(#"{"message":"x"}"#.utf8)) }
        #expect(throws: DecodingError.self) { try WireJSON.decode(CtlAck.self, from: Data(#"{"success":"yes","message":""}"#.utf8)) }
    }

    @Test func inventoryAcceptsLegacyActorsKey() throws {
        let json = #"{"actors":[{"id":"a","image_ref":"r","max_instances":2}],"providers":[],"host_id":"N1"}"#
        let inventory = try WireJSON.decode(HostInventory.self, from: Data(json.utf8))
        #expect(inventory.components.map(\.id) == ["a"])
        #expect(inventory.components[0].maxInstances == 2)
        #expect(inventory.components[0].annotations == nil)
        // Re-encoded under the 1.x key, with `limits: null`.
        let encoded = try jsonValue(WireJSON.encode(inventory))
        #expect(encoded["actors"] == nil)
        #expect(encoded["components"]?.arrayValue?.first?["limits"] == .null)
        #expect(throws: DecodingError.self) { try WireJSON.decode(HostInventory.self, from: Data(#"{"providers":[]}"#.utf8)) }
    }

    @Test func componentLimitsDecode() throws {
        let json = #"{"id":"c","image_ref":"r","revision":0,"max_instances":1,"limits":{"max_memory_limit":"1024"}}"#
        let component = try WireJSON.decode(ComponentDescription.self, from: Data(json.utf8))
        #expect(component.limits == ["max_memory_limit": "1024"])
    }
}
