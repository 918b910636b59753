import Foundation
import Testing
import LatticeProtocol

/// Decodes every entry of `v1-constructed/ctl-requests.json` by the operation its key names and
/// checks the re-encoded body is exactly the fixture (same keys, same values).
@Suite struct CtlRequestFixtureTests {
    static let hostID = "NUJZDEGXDNCF32EPF3DHODZDOCIS2JHTLGMXGEDN73U55XTPLPFT7V4S"

    /// `"component.scale.{host_id} (v1.9 limits)"` → the operation of that subject suffix.
    static func operation(forFixtureKey key: String) -> CtlOperation? {
        let suffix = key.split(separator: " ").first.map(String.init) ?? key
        let subject = "wasmbus.ctl.v1.default." + suffix
            .replacingOccurrences(of: "{host_id}", with: hostID)
            .replacingOccurrences(of: "{name}", with: "some-config")
        return CtlSubjects(lattice: "default").parseOperation(subject)?.operation
    }

    func entries() throws -> [(key: String, value: JSONValue)] {
        let file = try #require(try SharedFixtures.json("v1-constructed/ctl-requests.json").objectValue)
        return file.filter { $0.key != "_note" }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    @Test func everyRequestDecodesAndReencodesExactly() throws {
        let entries = try entries()
        #expect(entries.count == 21)
        var seen = Set<CtlOperation>()
        for (key, value) in entries {
            let operation = try #require(Self.operation(forFixtureKey: key), "no operation for fixture key \(key)")
            seen.insert(operation)
            let bytes = value.isNull ? Data() : try value.bytes()
            let body = try CtlRequestBody.decode(bytes, for: operation)
            if value.isNull {
                #expect(body == .empty, "\(key)")
                #expect(operation.ignoresRequestBody, "\(key): null body for an operation that needs one")
            } else {
                #expect(body != .empty, "\(key)")
                #expect(try jsonValue(body.encoded()) == value, "\(key) does not re-encode to the fixture")
            }
        }
        #expect(seen == Set(CtlOperation.allCases), "fixture covers every operation")
    }

    @Test func concreteValues() throws {
        let file = try SharedFixtures.json("v1-constructed/ctl-requests.json")
        func body(_ key: String) throws -> CtlRequestBody {
            let value = try #require(file[key])
            return try CtlRequestBody.decode(value.bytes(), for: try #require(Self.operation(forFixtureKey: key)))
        }

        guard case .scaleComponent(let scale) = try body("component.scale.{host_id}") else {
            Issue.record("scale did not decode as ScaleComponentCommand"); return
        }
        #expect(scale.count == 2)
        #expect(scale.componentID == "rust_hello_world-http_component")
        #expect(scale.config == ["rust_hello_world-greeting"])
        #expect(scale.annotations == ["owner": "tui"])
        #expect(scale.componentLimits == nil)

        guard case .scaleComponent(let limited) = try body("component.scale.{host_id} (v1.9 limits)") else {
            Issue.record("limits scale did not decode"); return
        }
        #expect(limited.componentLimits == ["max_memory_limit": "67108864", "max_execution_time": "30"])
        #expect(limited.annotations == nil)

        guard case .scaleComponent(let stop) = try body("component.scale.{host_id} (stop)") else {
            Issue.record("stop scale did not decode"); return
        }
        #expect(stop.count == 0)

        #expect(try body("host.stop.{host_id}") == .stopHost(StopHostCommand(hostID: Self.hostID, timeout: 5000)))
        #expect(try body("provider.stop.{host_id}") == .stopProvider(StopProviderCommand(providerID: "rust_hello_world-httpserver", hostID: Self.hostID)))
        #expect(try body("label.put.{host_id}") == .labelPut(HostLabel(key: "tier", value: "gold")))
        #expect(try body("label.del.{host_id}") == .labelDelete(HostLabelIdentifier(key: "tier")))
        #expect(try body("config.put.{name}") == .configPut(["address": "0.0.0.0:8000"]))
        #expect(try body("link.del") == .linkDelete(DeleteInterfaceLinkDefinitionRequest(
            sourceID: "rust_hello_world-httpserver", witNamespace: "wasi", witPackage: "http")))
        #expect(try body("registry.put") == .registryPut(["ghcr.io": RegistryCredential(username: "<user>", password: "<token>")]))
        guard case .linkPut(let link) = try body("link.put") else { Issue.record("link.put"); return }
        #expect(link.witDescription == "wasi:http/incoming-handler")
        #expect(link.sourceConfig == ["rust_hello_world-default_http"])
        guard case .componentAuction(let auction) = try body("component.auction") else { Issue.record("auction"); return }
        #expect(auction.constraints == ["zone": "eu-west"])
    }
}
