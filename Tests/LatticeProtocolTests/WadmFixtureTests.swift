import Foundation
import Testing
import LatticeProtocol

/// Decodes every entry of `v1-constructed/wadm-api.json` with the type its key names and
/// checks it re-encodes to exactly the fixture.
@Suite struct WadmFixtureTests {
    static func roundTrip<T: Codable & Sendable>(_: T.Type) -> @Sendable (Data) throws -> Data {
        { data in try WireJSON.encode(try WireJSON.decode(T.self, from: data)) }
    }

    /// Fixture key → decode-and-re-encode. A new fixture key without an entry here fails the test.
    static let decoders: [String: @Sendable (Data) throws -> Data] = [
        "model.get (list, wadm>=0.15) reply": roundTrip(WadmModelListReply.self),
        "model.list (deprecated) reply": roundTrip([ModelSummary].self),
        "model.get.{name} request": roundTrip(WadmVersionRequest.self),
        "model.versions.{name} reply": roundTrip(WadmVersionsReply.self),
        "model.put reply": roundTrip(WadmPutReply.self),
        "model.deploy.{name} request": roundTrip(WadmVersionRequest.self),
        "model.deploy.{name} reply": roundTrip(WadmDeployReply.self),
        "model.undeploy.{name} reply": roundTrip(WadmDeployReply.self),
        "model.del.{name} reply": roundTrip(WadmDeleteReply.self),
        "model.status.{name} reply": roundTrip(WadmModelStatusReply.self),
        "error reply (any op)": roundTrip(WadmGenericReply.self),
        "wadm.status.{lattice}.{app} message": roundTrip(WadmStatus.self),
        "wadm.evt.{lattice}.manifest_unpublished event": { data in try LatticeEventDecoder.decode(data).get().encoded() },
    ]

    @Test func everyEntryDecodesAndReencodesExactly() throws {
        let file = try #require(try SharedFixtures.json("v1-constructed/wadm-api.json").objectValue)
        let keys = file.keys.filter { $0 != "_note" }.sorted()
        #expect(keys.count == 13)
        for key in keys {
            let value = try #require(file[key])
            let roundTrip = try #require(Self.decoders[key], "no decoder for new wadm fixture entry \"\(key)\"")
            #expect(try jsonValue(roundTrip(value.bytes())) == value, "\(key) does not re-encode to the fixture")
        }
    }

    @Test func listShapesAndStatuses() throws {
        let file = try SharedFixtures.json("v1-constructed/wadm-api.json")
        let list = try WadmModelListReply.decodeEitherShape(file.memberBytes("model.get (list, wadm>=0.15) reply"))
        let deprecated = try WadmModelListReply.decodeEitherShape(file.memberBytes("model.list (deprecated) reply"))
        #expect(list.result == .success)
        #expect(list.models == deprecated.models)
        #expect(list.models.map(\.name) == ["rust-hello-world", "rust-http-kv"])
        #expect(list.models.map(\.effectiveStatus) == [.deployed, .undeployed])
        #expect(list.models[0].detailedStatus?.scalers.map(\.kind) == ["SpreadScaler", "SpreadScaler", "LinkScaler"])
        #expect(list.models[1].deployedVersion == nil)
        #expect(list.models[1].detailedStatus?.scalers == [])

        let status = try WireJSON.decode(WadmStatus.self, from: file.memberBytes("wadm.status.{lattice}.{app} message"))
        #expect(status.status == WadmStatusInfo(type: .failed, message: "Failed to scale component rust_http_kv-counter"))
        #expect(status.scalers.first?.name == "counter")

        let error = try WireJSON.decode(WadmGenericReply.self, from: file.memberBytes("error reply (any op)"))
        #expect(error.result.isFailure)
        let undeploy = try WireJSON.decode(WadmDeployReply.self, from: file.memberBytes("model.undeploy.{name} reply"))
        #expect(undeploy.version == nil && undeploy.result == .acknowledged)
    }

    @Test func statusTypeAliasesAndUnknowns() throws {
        func decode(_ text: String) throws -> WadmStatusType {
            try WireJSON.decode(WadmStatusType.self, from: Data("\"\(text)\"".utf8))
        }
        #expect(try decode("compensating") == .reconciling)
        #expect(try decode("ready") == .deployed)
        #expect(try decode("Deployed") == .deployed)
        #expect(try decode("waiting") == .waiting)
        #expect(try decode("unhealthy") == .unhealthy)
        #expect(try decode("exploded") == .unknown("exploded"))
        #expect(try WireJSON.encode(WadmStatusType.reconciling) == Data("\"reconciling\"".utf8))
        #expect(try WireJSON.encode(WadmStatusType.unknown("exploded")) == Data("\"exploded\"".utf8))
        #expect(try WireJSON.encode(WadmStatusInfo(type: .deployed)) == Data(#"{"type":"deployed"}"#.utf8))
        #expect(try WireJSON.encode(WadmVersionRequest()) == Data("{}".utf8))
        // wadm 0.11: no detailed_status.
        let old = try WireJSON.decode(ModelSummary.self, from: Data(#"{"name":"a","version":"v1","status":"compensating"}"#.utf8))
        #expect(old.detailedStatus == nil && old.effectiveStatus == .reconciling)
    }
}
