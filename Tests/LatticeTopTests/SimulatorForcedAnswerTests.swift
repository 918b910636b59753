import Foundation
import LatticeClient
import LatticeProtocol
import LatticeSim
import Testing

/// The simulator's switch for failure paths: a forced refusal or silence on one operation.
@Suite(.serialized) struct SimulatorForcedAnswerTests {
    @Test func forcedRefusalOfALinkPutComesWithLinkdefSetFailed() async throws {
        try await LatticeFixture.using(.fast(hosts: 1)) { f in
            let link = Link(sourceID: "echo-messaging", target: "rust_http_kv-kvredis", witNamespace: "wasi", witPackage: "keyvalue",
                            interfaces: ["store"])
            await f.simulator.setRule(.refuse("host policy: links to kvredis are frozen"), for: .linkPut)
            await #expect(throws: LatticeClientError.refused(subject: f.client.subjects.linkPut, message: "host policy: links to kvredis are frozen")) {
                try await f.client.putLink(link)
            }
            let failed = await f.events.wait { if case .linkdefSetFailed(let e) = $0.payload { return e.link == link } else { return false } }
            if case .linkdefSetFailed(let e)? = failed?.payload { #expect(e.error == "host policy: links to kvredis are frozen") }
            #expect(await f.simulator.links.contains(link) == false)
            // Switched off: the same put goes through.
            await f.simulator.setRule(nil, for: .linkPut)
            let answer = try await f.client.putLink(link)
            #expect(answer == "successfully set link")
        }
    }

    @Test func forcedRefusalOfAConfigPutChangesNothing() async throws {
        try await LatticeFixture.using(.fast(hosts: 1)) { f in
            await f.simulator.setRule(.refuse("config store unavailable"), for: .configPut)
            await #expect(throws: LatticeClientError.refused(subject: f.client.subjects.configPut(name: "fresh"), message: "config store unavailable")) {
                try await f.client.putConfig(name: "fresh", values: ["a": "b"])
            }
            let values = try await f.client.config(name: "fresh")
            #expect(values == nil)
            #expect(!f.events.all.contains { if case .configSet(let e) = $0.payload { return e.configName == "fresh" } else { return false } })
        }
    }

    @Test func forcedSilenceIsATimeout() async throws {
        try await LatticeFixture.using(.fast(hosts: 1)) { f in
            await f.simulator.setRule(.ignore, for: .linkDelete)
            let quick = LatticeClient(connection: f.connection, lattice: "default", timeout: .milliseconds(400))
            let request = DeleteInterfaceLinkDefinitionRequest(sourceID: "x", witNamespace: "wasi", witPackage: "http")
            await #expect(throws: LatticeClientError.timeout(subject: f.client.subjects.linkDelete)) { try await quick.deleteLink(request) }
        }
    }
}
