import Foundation
import LatticeClient
import LatticeProtocol
import LatticeSim
import NATSKit
import Testing
@testable import LatticeTop

/// Every action through the mutation runner against the simulator on a real nats-server: the
/// request the host received, the event that settled it, the outcome and the audit line; and
/// the failure paths (refused, failed by event, timeout, no responders) told apart.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct MutationRunnerTests {
    func runner(_ f: LatticeFixture, timeout: Duration = .seconds(3), audit: AuditLog? = nil) -> MutationRunner {
        MutationRunner(client: f.client, eventTimeout: timeout, audit: audit, contextName: "test")
    }

    func tempAudit() -> AuditLog {
        AuditLog(path: FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString)/audit.log").path)
    }

    @Test func providerStartAndStopAreConfirmedByTheirEvents() async throws {
        try await LatticeFixture.using() { f in
            let host = try #require(await f.simulator.runningHostIDs.first)
            let audit = tempAudit()
            defer { try? FileManager.default.removeItem(atPath: (audit.path as NSString).deletingLastPathComponent) }
            let r = runner(f, audit: audit)
            let start = OperateAction.startProvider(StartProviderCommand(providerID: "extra-http", providerRef: "ghcr.io/wasmcloud/http-server:0.27.0",
                                                                         hostID: host, config: ["rust_http_kv-default_http"]))
            let started = await r.run(start)
            #expect(started.result == .confirmed(event: .providerStarted))
            #expect(started.hostMessage == "successfully started provider")
            let request = try #require(await f.simulator.received(.providerStart).last)
            #expect(request.target == host)
            let body = try #require(request.decoded(StartProviderCommand.self))
            #expect(body.providerID == "extra-http" && body.config == ["rust_http_kv-default_http"] && body.hostID == host)
            #expect(await f.simulator.inventories().first { $0.hostID == host }?.providers.contains { $0.id == "extra-http" } == true)

            let stopped = await r.run(.stopProvider(hostID: host, providerID: "extra-http"))
            #expect(stopped.result == .confirmed(event: .providerStopped))
            #expect(await f.simulator.received(.providerStop).last?.decoded(StopProviderCommand.self)?.providerID == "extra-http")

            let lines = try String(contentsOfFile: audit.path, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 2)
            #expect(lines[0].contains("\ttest\tdefault\twasmbus.ctl.v1.default.provider.start.\(host)\tconfirmed: "))
            #expect(lines[1].contains("provider.stop.\(host)\tconfirmed: "))
        }
    }

    @Test func aStartByAuctionPicksAHostThatAnswered() async throws {
        try await LatticeFixture.using() { f in
            let outcome = await runner(f).run(.startProvider(StartProviderCommand(providerID: "auctioned", providerRef: "ghcr.io/wasmcloud/keyvalue-redis:0.28.2")))
            #expect(outcome.result == .confirmed(event: .providerStarted))
            let host = try #require(outcome.action.hostID)
            #expect(await f.simulator.runningHostIDs.contains(host))
            #expect(await f.simulator.received(.providerAuction).count == 1)
            #expect(await f.simulator.received(.providerStart).last?.target == host)
        }
    }

    @Test func aFailedPullIsRefutedByProviderStartFailed() async throws {
        try await LatticeFixture.using() { f in
            let host = try #require(await f.simulator.runningHostIDs.first)
            let outcome = await runner(f).run(.startProvider(StartProviderCommand(providerID: "nope", providerRef: "ghcr.io/x/missing:1", hostID: host)))
            #expect(outcome.result == .failed(event: .providerStartFailed, message: "failed to fetch provider: failed to pull OCI artifact: manifest unknown"))
            #expect(!outcome.isSuccess)
        }
    }

    @Test func componentScaleUpdateAndStop() async throws {
        try await LatticeFixture.using() { f in
            let inv = try #require(await f.simulator.inventories().first { !$0.components.isEmpty })
            let c = try #require(inv.components.first)
            let r = runner(f)
            let scaled = await r.run(.scaleComponent(ScaleComponentCommand(componentID: c.id, componentRef: c.imageRef, count: 7, hostID: inv.hostID)))
            #expect(scaled.result == .confirmed(event: .componentScaled))
            #expect(await f.simulator.received(.componentScale).last?.decoded(ScaleComponentCommand.self)?.count == 7)
            let newRef = c.imageRef + "-next"
            let updated = await r.run(.updateComponent(hostID: inv.hostID, componentID: c.id, imageRef: newRef))
            #expect(updated.result == .confirmed(event: .componentScaled))
            #expect(await f.simulator.received(.componentUpdate).last?.decoded(UpdateComponentCommand.self)?.newComponentRef == newRef)
            let stopped = await r.run(.scaleComponent(ScaleComponentCommand(componentID: c.id, componentRef: newRef, count: 0, hostID: inv.hostID)))
            #expect(stopped.result == .confirmed(event: .componentScaled))
            #expect(await f.simulator.inventories().first { $0.hostID == inv.hostID }?.components.contains { $0.id == c.id } == false)
        }
    }

    @Test func labelsAndHostStop() async throws {
        try await LatticeFixture.using() { f in
            let hosts = await f.simulator.runningHostIDs
            let host = try #require(hosts.last)
            let r = runner(f)
            #expect(await r.run(.putLabel(hostID: host, key: "tier", value: "gold")).result == .confirmed(event: .labelsChanged))
            #expect(await f.simulator.received(.labelPut).last?.decoded(HostLabel.self) == HostLabel(key: "tier", value: "gold"))
            #expect(await r.run(.deleteLabel(hostID: host, key: "tier")).result == .confirmed(event: .labelsChanged))
            // The reserved prefix never leaves the client.
            let reserved = await r.run(.putLabel(hostID: host, key: "hostcore.os", value: "mac"))
            #expect(reserved.result == .invalid(message: "labels starting with 'hostcore.' are reserved by the host"))
            #expect(!reserved.sent)
            #expect(await f.simulator.received(.labelPut).count == 1)

            #expect(await r.run(.stopHost(hostID: host)).result == .confirmed(event: .hostStopped))
            #expect(await f.simulator.received(.hostStop).last?.target == host)
            #expect(await !f.simulator.runningHostIDs.contains(host))
            // The host is gone: nobody listens on its subjects any more.
            let gone = await r.run(.stopProvider(hostID: host, providerID: "x"))
            #expect(gone.result == .noResponders)
            #expect(gone.message.contains("no responders on wasmbus.ctl.v1.default.provider.stop.\(host)"))
        }
    }

    @Test func linksAndConfig() async throws {
        try await LatticeFixture.using() { f in
            let r = runner(f)
            #expect(await r.run(.putConfig(name: "fresh", values: ["password": "p"])).result == .confirmed(event: .configSet))
            let link = Link(sourceID: "rust_hello_world-http_component", target: "rust_http_kv-kvredis", name: "cache", witNamespace: "wasi",
                            witPackage: "keyvalue", interfaces: ["store"], targetConfig: ["fresh"])
            #expect(await r.run(.putLink(link)).result == .confirmed(event: .linkdefSet))
            #expect(await f.simulator.received(.linkPut).last?.decoded(Link.self) == link)
            var broken = link
            broken.targetConfig = ["absent"]
            broken.name = "other"
            let refused = await r.run(.putLink(broken))
            #expect(refused.result == .refused(message: "Failed to validate configuration and secrets. Configuration absent not found in config store. "))
            #expect(await r.run(.deleteLink(DeleteInterfaceLinkDefinitionRequest(deleting: link))).result == .confirmed(event: .linkdefDeleted))
            #expect(await r.run(.deleteConfig(name: "fresh")).result == .confirmed(event: .configDeleted))
            #expect(await f.simulator.received(.configDelete).last?.target == "fresh")
        }
    }

    @Test func refusedAndTimedOutRequestsAreToldApart() async throws {
        try await LatticeFixture.using() { f in
            let host = try #require(await f.simulator.runningHostIDs.first)
            await f.simulator.setRule(.refuse("provider with that ID is already running"), for: .providerStart)
            let start = OperateAction.startProvider(StartProviderCommand(providerID: "p", providerRef: "ghcr.io/x/p:1", hostID: host))
            let refused = await runner(f).run(start)
            #expect(refused.result == .refused(message: "provider with that ID is already running"))
            #expect(refused.sent)
            #expect(await f.simulator.received(.providerStart).count == 1)
            #expect(await f.simulator.inventories().first { $0.hostID == host }?.providers.contains { $0.id == "p" } == false)

            await f.simulator.setRule(.ignore, for: .providerStart)
            let quick = LatticeClient(connection: f.connection, lattice: "default", timeout: .milliseconds(400))
            let timedOut = await MutationRunner(client: quick, eventTimeout: .seconds(1)).run(start)
            #expect(timedOut.result == .timeout)
            #expect(timedOut.message.contains("timed out"))

            await f.simulator.setRule(nil, for: .providerStart)
            #expect(await runner(f).run(start).result == .confirmed(event: .providerStarted))
        }
    }

    @Test func anAcknowledgedChangeWithoutItsEventIsUnconfirmed() async throws {
        try await LatticeFixture.using() { f in
            let host = try #require(await f.simulator.runningHostIDs.first)
            // Deleting a label that is not there: acknowledged, but no labels_changed follows.
            let outcome = await runner(f, timeout: .milliseconds(700)).run(.deleteLabel(hostID: host, key: "never-set"))
            #expect(outcome.result == .unconfirmed(waited: .milliseconds(700)))
            #expect(!outcome.isSuccess)
        }
    }
}
