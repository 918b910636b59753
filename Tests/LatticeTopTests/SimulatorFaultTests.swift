import Foundation
import LatticeClient
import LatticeProtocol
import LatticeSim
import Testing

/// The simulator's scripted faults and its periodic traffic, as a client sees them.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct SimulatorFaultTests {
    @Test func heartbeatsCarryTheInventoryAndHealthFollowsOneXSemantics() async throws {
        try await LatticeFixture.using(.fast(faults: [.failingHealth])) { f in
            let beat = await f.events.wait { $0.knownType == .hostHeartbeat }
            guard case .hostHeartbeat(let inv)? = beat?.payload else { Issue.record("no heartbeat"); return }
            let sim = await f.simulator.inventories()
            #expect(sim.contains { $0.hostID == inv.hostID && $0.components.map(\.id) == inv.components.map(\.id) })
            // flaky-blobstore is unhealthy from its first probe: only health_check_status, never failed.
            let status = await f.events.wait {
                if case .healthCheckStatus(let e) = $0.payload { return e.providerID == "flaky-blobstore" } else { return false }
            }
            #expect(status != nil)
            #expect(!f.events.all.contains {
                if case .healthCheckFailed(let e) = $0.payload { return e.providerID == "flaky-blobstore" } else { return false }
            })
            // The scripted fault turns a healthy provider unhealthy: passed, then failed.
            let failed = await f.events.wait(timeout: .seconds(15)) {
                if case .healthCheckFailed(let e) = $0.payload { return e.providerID == "nats-messaging" } else { return false }
            }
            #expect(failed != nil)
            let passedBefore = f.events.all.firstIndex {
                if case .healthCheckPassed(let e) = $0.payload { return e.providerID == "nats-messaging" } else { return false }
            }
            let failedAt = f.events.all.firstIndex {
                if case .healthCheckFailed(let e) = $0.payload { return e.providerID == "nats-messaging" } else { return false }
            }
            #expect(passedBefore != nil && failedAt != nil && passedBefore! < failedAt!)
        }
    }

    @Test func crashedProviderGoesSilent() async throws {
        try await LatticeFixture.using(.fast()) { f in
            let isKV: (LatticeEvent) -> Bool = {
                switch $0.payload {
                case .healthCheckPassed(let e), .healthCheckStatus(let e), .healthCheckFailed(let e): return e.providerID == "rust_http_kv-kvredis"
                default: return false
                }
            }
            #expect(await f.events.wait(isKV) != nil)
            await f.simulator.trigger(.providerCrash)
            let before = f.events.all.filter(isKV).count
            // The positive signal first: the other providers go on reporting (probe periods go
            // by), and only then is kvredis's silence checked.
            func othersReports() -> Int {
                var counts: [String: Int] = [:]
                for e in f.events.all {
                    switch e.payload {
                    case .healthCheckPassed(let h), .healthCheckStatus(let h), .healthCheckFailed(let h):
                        if h.providerID != "rust_http_kv-kvredis" { counts[h.providerID, default: 0] += 1 }
                    default: break
                    }
                }
                return counts.values.max() ?? 0
            }
            let othersBefore = othersReports()
            #expect(await eventually(timeout: .seconds(15)) { othersReports() >= othersBefore + 2 })
            // At most one report that was already on its way when the crash struck.
            #expect(f.events.all.filter(isKV).count <= before + 1)
            let settled = f.events.all.filter(isKV).count
            #expect(await eventually(timeout: .seconds(15)) { othersReports() >= othersBefore + 5 })
            #expect(f.events.all.filter(isKV).count == settled)
            // Still in the inventory: a hung provider is not removed by 1.x.
            #expect(await f.simulator.inventories().contains { $0.providers.contains { $0.id == "rust_http_kv-kvredis" } })
        }
    }

    @Test func failedStartAndVanishingHost() async throws {
        try await LatticeFixture.using(.fast(faults: [.failedStart, .vanishingHost])) { f in
            let failed = await f.events.wait { $0.knownType == .providerStartFailed }
            guard case .providerStartFailed(let e)? = failed?.payload else { Issue.record("no provider_start_failed"); return }
            #expect(e.providerRef == "ghcr.io/example/missing-provider:1.0.0")
            #expect(await eventually { await f.simulator.runningHostIDs.count == 2 })
            let gone = Set(await f.simulator.hostIDs).subtracting(await f.simulator.runningHostIDs)
            let vanished = try #require(gone.first)
            let (hosts, _) = try await f.client.hosts()
            #expect(!hosts.map(\.id).contains(vanished))
            // No host_stopped for it, and no more heartbeats.
            let mark = f.events.all.count
            try await Task.sleep(for: .seconds(4))
            let later = f.events.all.dropFirst(mark)
            #expect(!later.contains { $0.source == vanished })
            #expect(!f.events.all.contains { $0.knownType == .hostStopped && $0.source == vanished })
        }
    }

    @Test func wrpcTrafficIsAnsweredWithHandshakeAndResults() async throws {
        try await LatticeFixture.using(.fast()) { f in
            let sub = try f.connection.subscribe("default.*.wrpc.>")
            let replies = try f.connection.subscribe("_INBOX.latticesim.>")
            try f.connection.flush()
            var invocations: [String] = []
            var headers: [[String: [String]]] = []
            let deadline = ContinuousClock.now + .seconds(10)
            while invocations.count < 8, ContinuousClock.now < deadline, let batch = await sub.nextBatch() {
                for m in batch {
                    invocations.append(m.subject)
                    headers.append(m.headers)
                    #expect(m.reply?.hasPrefix("_INBOX.") == true)
                }
            }
            #expect(invocations.count >= 8)
            #expect(invocations.contains("default.rust_hello_world-http_component.wrpc.0.0.1.wasi:http/incoming-handler@0.2.0.handle"))
            #expect(headers.allSatisfy { $0["source-id"]?.isEmpty == false })
            #expect(headers.contains { $0["link-name"] == ["default"] })
            #expect(headers.contains { $0["target-id"] != nil })
            var gotResults = false
            let until = ContinuousClock.now + .seconds(5)
            while !gotResults, ContinuousClock.now < until, let batch = await replies.nextBatch() {
                gotResults = batch.contains { $0.subject.hasSuffix(".results") }
            }
            #expect(gotResults)
            sub.unsubscribe()
            replies.unsubscribe()
        }
    }
}
