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

    @Test func ignoringTheNextRequestsTimesOutThatManyThenAnswersAgain() async throws {
        try await LatticeFixture.using(.fast(hosts: 1)) { f in
            let quick = LatticeClient(connection: f.connection, lattice: "default", timeout: .milliseconds(300))
            let linkGet = f.client.subjects.linkGet
            await f.simulator.setRule(.ignoreNext(2), for: .linkGet)
            for _ in 0..<2 {
                await #expect(throws: LatticeClientError.timeout(subject: linkGet)) { try await quick.links() }
            }
            let listed = try await quick.links()
            #expect(listed.count == (await f.simulator.simulatedLinks.count))
            #expect(!listed.isEmpty)
            #expect(await f.simulator.reads(of: linkGet) == 3)

            // A read addressed to one host, the same way.
            let host = try #require(await f.simulator.runningHostIDs.first)
            await f.simulator.setRule(.ignoreNext(1), for: .hostGet)
            await #expect(throws: LatticeClientError.timeout(subject: f.client.subjects.hostGet(hostID: host))) {
                try await quick.inventory(hostID: host)
            }
            #expect(try await quick.inventory(hostID: host).hostID == host)
        }
    }
}
