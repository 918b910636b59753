import Foundation
import LatticeClient
import LatticeProtocol
import LatticeSim
import NATSKit
import Testing

/// The control client against the simulator on a real nats-server: every operation, its reply
/// and the event that follows, as a 1.x host does it.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct SimulatorClientTests {
    @Test func pingAndInventoriesMatchTheSimulator() async throws {
        try await LatticeFixture.using() { f in
            let (hosts, errors) = try await f.client.hosts()
            #expect(errors.isEmpty)
            let simIDs = await f.simulator.hostIDs
            #expect(hosts.map(\.id) == simIDs.sorted())
            for h in hosts {
                #expect(h.id.hasPrefix("N") && h.id.count == 56)
                #expect(h.lattice == "default")
                #expect(h.version == "1.9.2")
                #expect(h.labels["hostcore.os"] == "linux")
            }
            var inventories: [HostInventory] = []
            for await r in try f.client.inventories() { inventories.append(try r.get()) }
            let expected = await f.simulator.inventories()
            #expect(Set(inventories.map(\.hostID)) == Set(expected.map(\.hostID)))
            for inv in inventories {
                let sim = try #require(expected.first { $0.hostID == inv.hostID })
                #expect(inv.components.map(\.id) == sim.components.map(\.id))
                #expect(inv.providers.map(\.id) == sim.providers.map(\.id))
            }
            let allComponents = Set(inventories.flatMap { $0.components.map(\.id) })
            #expect(allComponents.contains("rust_hello_world-http_component"))
            let links = try await f.client.links()
            #expect(links.count == 4)
            #expect(links.contains { $0.sourceID == "rust_http_kv-counter" && $0.target == "rust_http_kv-kvredis" })
        }
    }

    @Test func configGetPutDeleteWithEvents() async throws {
        try await LatticeFixture.using() { f in
            #expect(try await f.client.config(name: "rust_http_kv-redis_url") == ["url": "redis://127.0.0.1:6379", "password": "demo-redis-password"])
            #expect(try await f.client.config(name: "absent") == nil)
            #expect(try await f.client.putConfig(name: "fresh", values: ["a": "1"]) == "successfully put config")
            #expect(try await f.client.config(name: "fresh") == ["a": "1"])
            let set = await f.events.wait { if case .configSet(let e) = $0.payload { return e.configName == "fresh" } else { return false } }
            #expect(set != nil)
            #expect(try await f.client.deleteConfig(name: "fresh") == "successfully deleted config")
            #expect(try await f.client.config(name: "fresh") == nil)
            // A body that is not a string map is refused with the host's text.
            let raw = try await f.connection.request(f.client.subjects.configPut(name: "bad"), payload: Data("[1,2]".utf8), timeout: .seconds(3))
            let reply = try WireJSON.decode(CtlAck.self, from: raw.data)
            #expect(!reply.success && reply.message == "config data should be a map of string -> string")
        }
    }

    @Test func scaleUpdateAndStopComponent() async throws {
        try await LatticeFixture.using() { f in
            let host = try #require(await f.simulator.runningHostIDs.first)
            let cmd = ScaleComponentCommand(componentID: "new-comp", componentRef: "ghcr.io/example/new:1.0.0", count: 3)
            #expect(try await f.client.scaleComponent(hostID: host, cmd) == "")
            let scaled = await f.events.wait {
                if case .componentScaled(let e) = $0.payload { return e.componentID == "new-comp" && e.maxInstances == 3 } else { return false }
            }
            #expect(scaled?.source == host)
            let inv = try await f.client.inventory(hostID: host)
            #expect(inv.components.first { $0.id == "new-comp" }?.maxInstances == 3)

            let update = try await f.client.updateComponent(hostID: host, componentID: "new-comp", newReference: "ghcr.io/example/new:1.0.1")
            #expect(update == "component new-comp updating from ghcr.io/example/new:1.0.0 to ghcr.io/example/new:1.0.1")
            await #expect(throws: LatticeClientError.refused(subject: f.client.subjects.componentUpdate(hostID: host),
                                                             message: "component nope not found")) {
                try await f.client.updateComponent(hostID: host, componentID: "nope", newReference: "x:1")
            }

            var stop = cmd
            stop.count = 0
            try await f.client.scaleComponent(hostID: host, stop)
            let stopped = await f.events.wait {
                if case .componentScaled(let e) = $0.payload { return e.componentID == "new-comp" && e.maxInstances == 0 } else { return false }
            }
            #expect(stopped != nil)
            #expect(try await f.client.inventory(hostID: host).components.contains { $0.id == "new-comp" } == false)

            let broken = ScaleComponentCommand(componentID: "broken", componentRef: "ghcr.io/example/broken:9.9.9", count: 1)
            try await f.client.scaleComponent(hostID: host, broken)
            let failed = await f.events.wait { if case .componentScaleFailed(let e) = $0.payload { return e.componentID == "broken" } else { return false } }
            if case .componentScaleFailed(let e)? = failed?.payload {
                #expect(e.error == "failed to fetch component: failed to pull OCI artifact: manifest unknown")
            } else {
                Issue.record("no component_scale_failed")
            }
        }
    }

    @Test func providerStartStopAndRefusals() async throws {
        try await LatticeFixture.using() { f in
            let host = try #require(await f.simulator.runningHostIDs.first)
            let start = StartProviderCommand(providerID: "kv-nats", providerRef: "ghcr.io/wasmcloud/keyvalue-nats:0.3.1")
            #expect(try await f.client.startProvider(hostID: host, start) == "successfully started provider")
            #expect(await f.events.wait { if case .providerStarted(let e) = $0.payload { return e.providerID == "kv-nats" } else { return false } } != nil)
            await #expect(throws: LatticeClientError.refused(subject: f.client.subjects.providerStart(hostID: host),
                                                             message: "provider with that ID is already running")) {
                try await f.client.startProvider(hostID: host, start)
            }
            // The first health probe passes.
            #expect(await f.events.wait { if case .healthCheckPassed(let e) = $0.payload { return e.providerID == "kv-nats" } else { return false } } != nil)

            #expect(try await f.client.stopProvider(hostID: host, providerID: "kv-nats") == "successfully stopped provider")
            let stoppedEvent = await f.events.wait { if case .providerStopped(let e) = $0.payload { return e.providerID == "kv-nats" } else { return false } }
            #expect(stoppedEvent?.source == host)
            await #expect(throws: LatticeClientError.refused(subject: f.client.subjects.providerStop(hostID: host),
                                                             message: "provider with that ID is not running")) {
                try await f.client.stopProvider(hostID: host, providerID: "kv-nats")
            }

            let bad = StartProviderCommand(providerID: "nope", providerRef: "ghcr.io/example/missing-provider:1.0.0")
            try await f.client.startProvider(hostID: host, bad)
            let failed = await f.events.wait { if case .providerStartFailed(let e) = $0.payload { return e.providerID == "nope" } else { return false } }
            #expect(failed?.hostID == host)
        }
    }

    @Test func linkPutRefusalsAndDelete() async throws {
        try await LatticeFixture.using() { f in
            let missingConfig = Link(sourceID: "rust_http_kv-counter", target: "other-kv", name: "alt", witNamespace: "wasi",
                                     witPackage: "keyvalue", interfaces: ["store"], targetConfig: ["no-such-config"])
            do {
                try await f.client.putLink(missingConfig)
                Issue.record("expected a refusal")
            } catch let error as LatticeClientError {
                guard case .refused(_, let message) = error else { Issue.record("wrong error \(error)"); return }
                #expect(message.contains("Configuration no-such-config not found"))
            }
            #expect(await f.events.wait { if case .linkdefSetFailed(let e) = $0.payload { return e.link.target == "other-kv" } else { return false } } != nil)

            let conflicting = Link(sourceID: "rust_http_kv-counter", target: "another-target", witNamespace: "wasi",
                                   witPackage: "keyvalue", interfaces: ["atomics"])
            await #expect(throws: LatticeClientError.refused(
                subject: f.client.subjects.linkPut,
                message: "link already exists with different target, consider deleting the existing link or using a different link name")) {
                try await f.client.putLink(conflicting)
            }

            let fine = Link(sourceID: "echo-messaging", target: "rust_http_kv-kvredis", witNamespace: "wasi", witPackage: "keyvalue",
                            interfaces: ["store"])
            #expect(try await f.client.putLink(fine) == "successfully set link")
            #expect(try await f.client.links().contains(fine))
            #expect(await f.events.wait { if case .linkdefSet(let l) = $0.payload { return l == fine } else { return false } } != nil)

            #expect(try await f.client.deleteLink(DeleteInterfaceLinkDefinitionRequest(deleting: fine)) == "successfully deleted link")
            #expect(try await f.client.links().contains(fine) == false)
            let deleted = await f.events.wait { if case .linkdefDeleted(let d) = $0.payload { return d.sourceID == "echo-messaging" } else { return false } }
            if case .linkdefDeleted(let d)? = deleted?.payload { #expect(d.target == "rust_http_kv-kvredis") }
        }
    }

    @Test func labelsAndHostStop() async throws {
        try await LatticeFixture.using() { f in
            let hosts = await f.simulator.runningHostIDs
            let host = try #require(hosts.last)
            #expect(try await f.client.putLabel(hostID: host, key: "team", value: "payments") == "successfully put label")
            let changed = await f.events.wait { if case .labelsChanged(let e) = $0.payload { return e.labels["team"] == "payments" } else { return false } }
            #expect(changed?.source == host)
            await #expect(throws: LatticeClientError.self) { try await f.client.putLabel(hostID: host, key: "hostcore.os", value: "x") }
            // The host itself refuses the reserved prefix too (a client that skips the check).
            let raw = try await f.connection.request(f.client.subjects.labelPut(hostID: host),
                                                     payload: try WireJSON.encode(HostLabel(key: "hostcore.os", value: "x")), timeout: .seconds(3))
            #expect(try WireJSON.decode(CtlAck.self, from: raw.data).message == "hostcore.* labels cannot be set dynamically")
            #expect(try await f.client.deleteLabel(hostID: host, key: "team") == "successfully deleted label")

            #expect(try await f.client.stopHost(hostID: host) == "successfully handled stop host")
            #expect(await f.events.wait { $0.knownType == .hostStopped && $0.source == host } != nil)
            let (after, _) = try await f.client.hosts()
            #expect(after.map(\.id).contains(host) == false)
            #expect(after.count == hosts.count - 1)
            // Its subjects have no responders any more.
            await #expect(throws: LatticeClientError.noResponders(subject: f.client.subjects.hostGet(hostID: host))) {
                try await f.client.inventory(hostID: host)
            }
        }
    }

    @Test func auctionsAndClaims() async throws {
        try await LatticeFixture.using() { f in
            let all = try await f.client.providerAuction(ProviderAuctionRequest(providerRef: "x:1", providerID: "brand-new", constraints: [:]))
            #expect(all.count == 3)
            let zoned = try await f.client.componentAuction(ComponentAuctionRequest(componentRef: "x:1", componentID: "c",
                                                                                   constraints: ["zone": "us-east"]))
            #expect(zoned.count == 1)
            // A host already running the ID does not bid.
            let running = try await f.client.componentAuction(ComponentAuctionRequest(componentID: "rust_hello_world-http_component",
                                                                                     constraints: [:]))
            #expect(running.count == 1)
            #expect(try await f.client.claims().isEmpty)
        }
    }

    @Test func wadmApplicationsAndNoResponders() async throws {
        try await LatticeFixture.using() { f in
            let apps = try await f.client.applications()
            #expect(apps.map(\.name) == ["rust-hello-world", "rust-http-kv"])
            let other = LatticeClient(connection: f.connection, lattice: "elsewhere", timeout: .seconds(2), gatherWindow: .milliseconds(300))
            await #expect(throws: LatticeClientError.noResponders(subject: "wadm.api.elsewhere.model.get")) { try await other.applications() }
            #expect(try await other.hosts().hosts.isEmpty)
            await #expect(throws: LatticeClientError.noResponders(subject: "wasmbus.ctl.v1.elsewhere.link.get")) { try await other.links() }
        }
    }

    @Test func timeoutIsDistinctFromNoResponders() async throws {
        try await LatticeFixture.using() { f in
            // Something subscribed that never answers: a timeout, not "no responders".
            let silent = try f.connection.subscribe("wasmbus.ctl.v1.quiet.link.get")
            try f.connection.flush()
            let quiet = LatticeClient(connection: f.connection, lattice: "quiet", timeout: .milliseconds(300))
            let started = ContinuousClock.now
            await #expect(throws: LatticeClientError.timeout(subject: "wasmbus.ctl.v1.quiet.link.get")) { try await quiet.links() }
            #expect(ContinuousClock.now - started < .seconds(3))
            silent.unsubscribe()
        }
    }
}
