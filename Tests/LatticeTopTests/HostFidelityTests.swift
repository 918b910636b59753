import Foundation
import LatticeClient
import LatticeProtocol
@testable import LatticeSim
import NATSKit
import Testing

/// Real-host behaviours (protocol reference §2.3.4, §10) exercised end to end: the client against
/// the simulator on a real nats-server, the simulator behaving as a 1.x host and wadm do.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct HostFidelityTests {
    // MARK: - wadm

    @Test func wadm014RefusesModelGetWithoutANameAndTheClientFallsBackToModelList() async throws {
        var configuration = SimulatorConfiguration.fast()
        configuration.wadmVersion = "0.14.0"
        let f = try await LatticeFixture(configuration)
        defer { Task { await f.shutdown() } }
        // What wadm 0.14 answers (its parser's fallback for a subject it does not know).
        let raw = try await f.connection.request(f.client.wadm.modelList, timeout: .seconds(2))
        let object = try #require(try JSONSerialization.jsonObject(with: raw.data) as? [String: String])
        #expect(object == ["result": "error", "message": "Unsupported subject: wadm.api.default.model.get"])
        // The Apps pane's call still lists the apps (through the deprecated `model.list`).
        let apps = try await f.client.applications()
        #expect(apps.map(\.name) == ["rust-hello-world", "rust-http-kv"])
    }

    @Test func wadmRefusalIsReportedWhenModelListDoesNotAnswerEither() async throws {
        let f = try await LatticeFixture(SimulatorConfiguration.fast(), startSimulator: false)
        defer { Task { await f.shutdown() } }
        let client = f.client
        // A wadm-like responder that refuses everything and serves no `model.list`.
        let sub = try f.simConnection.subscribe(client.wadm.modelList)
        try f.simConnection.flush()
        let responder = Task { [simConnection = f.simConnection] in
            for await batch in sub {
                for m in batch {
                    if let r = m.reply { try? simConnection.publish(r, payload: Data(#"{"result":"error","message":"wadm is busy"}"#.utf8)) }
                }
            }
        }
        defer { responder.cancel(); sub.unsubscribe() }
        await #expect(throws: LatticeClientError.refused(subject: client.wadm.modelList, message: "wadm is busy")) {
            try await client.applications()
        }
    }

    @Test func modelStatusOfAnUnknownAppIsOkAndUndeployed() async throws {
        let f = try await LatticeFixture()
        defer { Task { await f.shutdown() } }
        let raw = try await f.connection.request(f.client.wadm.modelStatus(name: "no-such-app"), timeout: .seconds(2))
        let object = try #require(try JSONSerialization.jsonObject(with: raw.data) as? [String: Any])
        #expect(object["result"] as? String == "ok")
        let status = try await f.client.applicationStatus(name: "no-such-app")
        #expect(status?.status.type == .undeployed)
    }

    // MARK: - Components

    /// The `component_scaled` events about one component, in arrival order.
    static func scaled(_ f: LatticeFixture, _ id: String) -> [ComponentScaledEvent] {
        f.events.all.compactMap { if case .componentScaled(let e) = $0.payload, e.componentID == id { return e } else { return nil } }
    }

    @Test func aFreshStartPublishesComponentScaledTwice() async throws {
        let f = try await LatticeFixture()
        defer { Task { await f.shutdown() } }
        let host = try #require(await f.simulator.runningHostIDs.first)
        let command = ScaleComponentCommand(componentID: "fresh", componentRef: "ghcr.io/example/fresh:1.0", count: 4, hostID: host)
        _ = try await f.client.scaleComponent(hostID: host, command)
        #expect(await eventually { Self.scaled(f, "fresh").count == 2 })
        #expect(Self.scaled(f, "fresh").allSatisfy { $0.maxInstances == 4 && $0.imageRef == command.componentRef && $0.hostID == host })
        // Scaling what runs publishes one.
        _ = try await f.client.scaleComponent(hostID: host, ScaleComponentCommand(componentID: "fresh", componentRef: command.componentRef,
                                                                                 count: 2, hostID: host))
        #expect(await eventually { Self.scaled(f, "fresh").count == 3 })
        #expect(Self.scaled(f, "fresh").last?.maxInstances == 2)
    }

    @Test func anUpdateEndsWithAScaleToZeroOfTheNewReference() async throws {
        let f = try await LatticeFixture()
        defer { Task { await f.shutdown() } }
        let inventory = try #require(await f.simulator.inventories().first { !$0.components.isEmpty })
        let component = try #require(inventory.components.first)
        let next = component.imageRef + "-next"
        // The start's own events are in already (two per fresh start).
        let onHost = { Self.scaled(f, component.id).filter { $0.hostID == inventory.hostID } }
        #expect(await eventually { onHost().count >= 2 })
        let before = onHost().count
        let message = try await f.client.updateComponent(hostID: inventory.hostID, componentID: component.id, newReference: next)
        #expect(message == "component \(component.id) updating from \(component.imageRef) to \(next)")
        #expect(await eventually { onHost().count >= before + 2 })
        let pair = onHost().suffix(2).map { ($0.imageRef, $0.maxInstances) }
        #expect(pair.map(\.0) == [next, next])
        #expect(pair.map(\.1) == [component.maxInstances, 0])
        // The component still runs, with the new reference.
        let after = try await f.client.inventory(hostID: inventory.hostID)
        #expect(after.components.first { $0.id == component.id }?.imageRef == next)
    }

    @Test func noIDCheckOnTheHost() async throws {
        let f = try await LatticeFixture()
        defer { Task { await f.shutdown() } }
        let host = try #require(await f.simulator.runningHostIDs.first)
        // A host does not refuse an empty ID (only the Rust client checks before sending).
        let scaled = try await f.client.connection.request(f.client.subjects.componentScale(hostID: host),
                                                           payload: Data(#"{"component_id":"","component_ref":"ghcr.io/x/y:1","count":1}"#.utf8),
                                                           timeout: .seconds(2))
        let reply = try #require(try JSONSerialization.jsonObject(with: scaled.data) as? [String: Any])
        #expect(reply["success"] as? Bool == true)
        #expect((reply["message"] as? String)?.contains("cannot be empty") == false)
    }

    // MARK: - Hosts

    @Test func hostStopPublishesOnlyHostStopped() async throws {
        let f = try await LatticeFixture()
        defer { Task { await f.shutdown() } }
        let inventory = try #require(await f.simulator.inventories().first { !$0.providers.isEmpty })
        let since = f.events.all.count
        _ = try await f.client.stopHost(hostID: inventory.hostID)
        let stopped = await f.events.wait { if case .hostStopped = $0.payload { return $0.source == inventory.hostID } else { return false } }
        #expect(stopped != nil)
        // After the positive signal: nothing about its providers came with it.
        let after = f.events.all.dropFirst(since)
        #expect(!after.contains { if case .providerStopped(let e) = $0.payload { return e.hostID == inventory.hostID } else { return false } })
    }

    @Test func uptimeIsWrittenAsHumantimeDoes() {
        #expect(SimulatedHost.humantime(0) == "0s")
        #expect(SimulatedHost.humantime(312) == "5m 12s")
        #expect(SimulatedHost.humantime(86_400) == "1day")
        #expect(SimulatedHost.humantime(2 * 86_400 + 3600 + 1) == "2days 1h 1s")
        #expect(SimulatedHost.humantime(31_557_600 + 2 * 2_630_016 + 60) == "1year 2months 1m")
    }

    @Test func registryPutAnswersWithTheHostsMessage() async throws {
        let f = try await LatticeFixture()
        defer { Task { await f.shutdown() } }
        let reply = try await f.connection.request(f.client.subjects.registryPut, payload: Data(#"{"ghcr.io":{"registryType":"oci"}}"#.utf8),
                                                   timeout: .seconds(2))
        let object = try #require(try JSONSerialization.jsonObject(with: reply.data) as? [String: Any])
        #expect(object["success"] as? Bool == true)
        #expect(object["message"] as? String == "successfully put registries")
    }

    // MARK: - Links

    @Test func deletingALinkOfASourceWithoutASpecPublishesNothing() async throws {
        let f = try await LatticeFixture()
        defer { Task { await f.shutdown() } }
        let message = try await f.client.deleteLink(DeleteInterfaceLinkDefinitionRequest(sourceID: "never-linked", witNamespace: "wasi",
                                                                                          witPackage: "keyvalue"))
        #expect(message == "successfully deleted link (spec doesn't exist)")
        // A source with a spec but no such link: success and a `linkdef_deleted` without a target.
        let known = try await f.client.deleteLink(DeleteInterfaceLinkDefinitionRequest(sourceID: "rust_http_kv-counter", name: "other",
                                                                                        witNamespace: "wasi", witPackage: "keyvalue"))
        #expect(known == "successfully deleted link")
        let deleted = await f.events.wait { if case .linkdefDeleted(let e) = $0.payload { return e.name == "other" } else { return false } }
        #expect(deleted != nil)
        // After that positive signal: the first delete published nothing.
        #expect(!f.events.all.contains { if case .linkdefDeleted(let e) = $0.payload { return e.sourceID == "never-linked" } else { return false } })
    }

    @Test func aLinkNamingAMissingSecretReferenceIsRefused() async throws {
        let f = try await LatticeFixture()
        defer { Task { await f.shutdown() } }
        let link = Link(sourceID: "rust_http_kv-counter", target: "rust_http_kv-kvredis", name: "secret", witNamespace: "wasi",
                        witPackage: "keyvalue", interfaces: ["store"], sourceConfig: ["SECRET_missing"], targetConfig: ["nope"])
        let expected = "Failed to validate configuration and secrets. Secret reference SECRET_missing not found in config store. "
            + "Configuration nope not found in config store. "
        await #expect(throws: LatticeClientError.refused(subject: f.client.subjects.linkPut, message: expected)) {
            try await f.client.putLink(link)
        }
        let failed = await f.events.wait { if case .linkdefSetFailed(let e) = $0.payload { return e.link.name == "secret" } else { return false } }
        if case .linkdefSetFailed(let e)? = failed?.payload { #expect(e.error == expected) } else { Issue.record("no linkdef_set_failed") }
        // Once the secret reference is in the config store, the link goes in.
        _ = try await f.client.putConfig(name: "SECRET_missing", values: ["backend": "nats-kv", "key": "db"])
        _ = try await f.client.putConfig(name: "nope", values: ["a": "b"])
        #expect(try await f.client.putLink(link) == "successfully set link")
    }

    // MARK: - Providers

    @Test func aProviderNamingAMissingSecretReferenceFailsToStart() async throws {
        let f = try await LatticeFixture()
        defer { Task { await f.shutdown() } }
        let host = try #require(await f.simulator.runningHostIDs.first)
        let ack = try await f.client.startProvider(hostID: host, StartProviderCommand(providerID: "needs-secret", providerRef: "ghcr.io/x/p:1",
                                                                                      hostID: host, config: ["SECRET_db"]))
        #expect(ack == "successfully started provider")
        let failed = await f.events.wait { if case .providerStartFailed(let e) = $0.payload { return e.providerID == "needs-secret" } else { return false } }
        if case .providerStartFailed(let e)? = failed?.payload {
            #expect(e.error == "Secret reference SECRET_db not found in config store")
        } else { Issue.record("no provider_start_failed") }
    }

    @Test func aDisabledBuiltinProviderGetsNoReplyAndHttpClientFails() async throws {
        let f = try await LatticeFixture()
        defer { Task { await f.shutdown() } }
        var client = f.client
        client.timeout = .milliseconds(700)
        let host = try #require(await f.simulator.runningHostIDs.first)
        for builtin in ["http-server", "messaging-nats"] {
            await #expect(throws: LatticeClientError.timeout(subject: client.subjects.providerStart(hostID: host))) {
                try await client.startProvider(hostID: host, StartProviderCommand(providerID: "b-\(builtin)",
                                                                                  providerRef: "wasmcloud+builtin://\(builtin)", hostID: host))
            }
        }
        // The builtin http-client is refused after the acknowledgement.
        _ = try await f.client.startProvider(hostID: host, StartProviderCommand(providerID: "b-client", providerRef: "wasmcloud+builtin://http-client",
                                                                                hostID: host))
        let failed = await f.events.wait { if case .providerStartFailed(let e) = $0.payload { return e.providerID == "b-client" } else { return false } }
        #expect(failed != nil)
        #expect(!(await f.simulator.inventories().contains { $0.providers.contains { $0.id.hasPrefix("b-") } }))
    }

    @Test func anEnabledBuiltinProviderRunsAndIsNeverProbed() async throws {
        var configuration = SimulatorConfiguration.fast()
        configuration.builtinProviders = true
        configuration.firstHealthCheckDelay = .milliseconds(100)
        configuration.healthCheckInterval = .milliseconds(200)
        let f = try await LatticeFixture(configuration)
        defer { Task { await f.shutdown() } }
        let host = try #require(await f.simulator.runningHostIDs.first)
        _ = try await f.client.startProvider(hostID: host, StartProviderCommand(providerID: "builtin-http", providerRef: "wasmcloud+builtin://http-server",
                                                                                hostID: host))
        _ = try await f.client.startProvider(hostID: host, StartProviderCommand(providerID: "binary-http", providerRef: "ghcr.io/wasmcloud/http-server:0.27.0",
                                                                                hostID: host))
        func health(_ id: String) -> Int {
            f.events.all.filter {
                switch $0.payload {
                case .healthCheckPassed(let e), .healthCheckStatus(let e), .healthCheckFailed(let e): return e.providerID == id
                default: return false
                }
            }.count
        }
        // The binary provider is probed several times (the positive signal) …
        #expect(await eventually { health("binary-http") >= 3 })
        // … the builtin one never.
        #expect(health("builtin-http") == 0)
        #expect(await f.simulator.inventories().contains { $0.providers.contains { $0.id == "builtin-http" } })
    }
}
