import Foundation
import LatticeClient
import LatticeProtocol
import LatticeSim
import NATSKit
import Testing
@testable import LatticeTop

/// Outcomes of mutations whose real-host answer is unusual: no event at all, no reply at all.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct MutationFidelityTests {
    @Test func deletingALinkWhoseSourceHasNoSpecIsSettledByTheReply() async throws {
        let f = try await LatticeFixture()
        defer { Task { await f.shutdown() } }
        let runner = MutationRunner(client: f.client, eventTimeout: .seconds(5))
        let started = ContinuousClock.now
        let outcome = await runner.run(.deleteLink(DeleteInterfaceLinkDefinitionRequest(sourceID: "never-linked", witNamespace: "wasi",
                                                                                         witPackage: "http")))
        #expect(outcome.result == .settledByReply(message: "successfully deleted link (spec doesn't exist)"))
        #expect(outcome.message == "✔ delete link never-linked (wasi:http, default): successfully deleted link (spec doesn't exist)")
        // It did not sit out the event wait for a `linkdef_deleted` that never comes.
        #expect(ContinuousClock.now - started < .seconds(4))
    }

    @Test func aBuiltinProviderStartThatGetsNoReplySaysWhy() async throws {
        let f = try await LatticeFixture()
        defer { Task { await f.shutdown() } }
        var client = f.client
        client.timeout = .milliseconds(700)
        let host = try #require(await f.simulator.runningHostIDs.first)
        let runner = MutationRunner(client: client, eventTimeout: .seconds(2))
        let outcome = await runner.run(.startProvider(StartProviderCommand(providerID: "builtin-http", providerRef: "wasmcloud+builtin://http-server",
                                                                           hostID: host)))
        #expect(outcome.result == .timeout)
        #expect(outcome.message == "✖ start provider builtin-http: host did not answer (builtin provider disabled?)")
        // The host did receive it (and stayed silent).
        #expect(await f.simulator.received(.providerStart).count == 1)
        // Any other start that times out is reported as a plain timeout.
        await f.simulator.setRule(.ignore, for: .providerStart)
        let other = await runner.run(.startProvider(StartProviderCommand(providerID: "p", providerRef: "ghcr.io/x/p:1", hostID: host)))
        #expect(other.message.hasSuffix("(timed out)"))
    }

    @Test func simCommandTakesTheWadmVersionAndBuiltinProviders() throws {
        let options = try SimulatorOptions.parse(["--wadm-version", "0.14.0", "--builtin-providers"])
        let configuration = options.configuration(lattice: "default", prefix: "wasmbus.ctl")
        #expect(configuration.wadmVersion == "0.14.0" && configuration.builtinProviders)
        let defaults = try SimulatorOptions.parse([]).configuration(lattice: "default", prefix: "wasmbus.ctl")
        #expect(defaults.wadmVersion == "0.21.1" && !defaults.builtinProviders)
        #expect(throws: (any Error).self) { try SimulatorOptions.parse(["--wadm-version", "new"]) }
    }
}
