import EmbeddedNATS
import Foundation
import LatticeProtocol
@testable import LatticeSim
import Testing

/// The simulator's lattice (this target has a `SimulatedLattice` of its own).
typealias SimWorld = LatticeSim.SimulatedLattice

/// The simulated hosts' own provider health checks (`SimulatedLattice.probeHealth`): taken from a
/// queue by due time, they must give what a walk over every host gives, and a scale workload's
/// first checks are spread over one interval, so no tick holds a process for long.
@Suite struct SimHealthChecksTests {
    /// The walk `probeHealth` replaced: every running host, its providers by ID, each one due.
    static func walk(_ world: inout SimWorld, now: Date, interval: Duration) -> [String] {
        var out: [String] = []
        for i in world.hosts.indices where !world.hosts[i].providers.isEmpty && world.hosts[i].life == .running {
            for id in world.hosts[i].providers.keys.sorted() {
                guard var p = world.hosts[i].providers[id], p.nextProbe <= now else { continue }
                p.nextProbe = now.addingTimeInterval(interval.seconds)
                switch (p.behaviour, p.previousHealthy) {
                case (.silent, _), (.noEndpoint, _): break
                case (.healthy, false): out.append("\(world.hosts[i].id) \(id) passed"); p.previousHealthy = true
                case (.unhealthy, true): out.append("\(world.hosts[i].id) \(id) failed"); p.previousHealthy = false
                case (.healthy, true), (.unhealthy, false): out.append("\(world.hosts[i].id) \(id) status")
                }
                world.hosts[i].providers[id] = p
            }
        }
        return out
    }

    static func names(_ emitted: [SimWorld.Emitted]) -> [String] {
        emitted.map { e -> String in
            let data = SimJSON.object(e.event.data) ?? [:]
            let kind = e.event.type.replacingOccurrences(of: "health_check_", with: "")
            return "\(e.source) \(data["provider_id"] as? String ?? "?") \(kind)"
        }
    }

    @Test(arguments: Array(1...12) as [UInt64]) func theQueueChecksWhatAWalkOverEveryHostChecks(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let start = Date(timeIntervalSince1970: 1_750_000_000)
        var queued = SimWorld(lattice: "default", version: "1.9.2")
        for h in 0..<6 {
            var host = SimulatedHost(id: "NHOST\(h)", friendlyName: "calm-river-\(1000 + h)", labels: [:], startedAt: start)
            for p in 0..<Int.random(in: 0...3, using: &rng) {
                host.providers["pre\(h)-\(p)"] = SimulatedProvider(id: "pre\(h)-\(p)", imageRef: "ghcr.io/x/p:1", name: nil, annotations: [:],
                                                                  startedAt: start, nextProbe: start.addingTimeInterval(Double(p)))
            }
            queued.addHost(host)
        }
        var walked = queued
        let interval = Duration.seconds(Int.random(in: 2...9, using: &rng))
        var now = start
        var started = 0
        for _ in 0..<300 {
            now = now.addingTimeInterval(Double(Int.random(in: 0...700, using: &rng)) / 1000)
            switch Int.random(in: 0..<10, using: &rng) {
            case 0, 1:   // a provider starts, first check after a random delay (some builtin: never)
                let h = Int.random(in: 0..<6, using: &rng)
                guard queued.hosts[h].life == .running else { break }
                started += 1
                let ref = Bool.random(using: &rng) && started % 5 == 0 ? "wasmcloud+builtin://http-client" : "ghcr.io/x/p\(started):1"
                let body = SimJSON.encode(["provider_id": "p\(started)", "provider_ref": ref] as [String: Any])
                let delay = Duration.milliseconds(Int.random(in: 0...3_000, using: &rng))
                _ = queued.startProvider(h, body: body, now: now, firstProbe: delay)
                _ = walked.startProvider(h, body: body, now: now, firstProbe: delay)
            case 2:      // one stops
                let h = Int.random(in: 0..<6, using: &rng)
                guard let id = queued.hosts[h].providers.keys.sorted().randomElement(using: &rng) else { break }
                let body = SimJSON.encode(["provider_id": id, "host_id": queued.hosts[h].id] as [String: Any])
                _ = queued.handle(.providerStop, hostID: queued.hosts[h].id, body: body, now: now)
                _ = walked.handle(.providerStop, hostID: walked.hosts[h].id, body: body, now: now)
            case 3:      // one changes how it answers
                let h = Int.random(in: 0..<6, using: &rng)
                guard let id = queued.hosts[h].providers.keys.sorted().randomElement(using: &rng) else { break }
                let behaviour: SimulatedProvider.Behaviour = [.healthy, .unhealthy, .silent, .noEndpoint].randomElement(using: &rng)!
                queued.hosts[h].providers[id]?.behaviour = behaviour
                walked.hosts[h].providers[id]?.behaviour = behaviour
            case 4 where Int.random(in: 0..<8, using: &rng) == 0:   // a host vanishes
                let h = Int.random(in: 0..<6, using: &rng)
                queued.hosts[h].life = .vanished
                walked.hosts[h].life = .vanished
            default:     // the 100 ms tick
                let got = Self.names(queued.probeHealth(now: now, interval: interval))
                let want = Self.walk(&walked, now: now, interval: interval)
                #expect(got.sorted() == want.sorted(), "seed \(seed) at \(now.timeIntervalSince(start)) s")
            }
        }
        // (A host that is not running checks nothing; the queue moves its providers' turns on.)
        let probes = { (w: SimWorld) in
            w.hosts.filter { $0.life == .running }.map { $0.providers.mapValues { "\($0.nextProbe.timeIntervalSince1970) \($0.previousHealthy)" } }
        }
        #expect(probes(queued) == probes(walked))
    }

    /// `--scale`: 400 providers' first checks come one after another over the 4 s interval
    /// (they all came at once), each then every interval; the events say so on the wire.
    @Test func aScaleWorkloadsFirstChecksAreSpreadOverOneInterval() async throws {
        var configuration = SimulatorConfiguration(hosts: 100, heartbeatInterval: .seconds(60), healthCheckInterval: .seconds(4),
                                                   firstHealthCheckDelay: .milliseconds(200), invocationsPerSecond: 0, wadm: false)
        configuration.scale = ScaleWorkload(components: 0, providers: 400, links: 0, configs: 0)
        try await LatticeFixture.using(configuration) { f in
            let begun = ContinuousClock.now
            let firstChecks = {
                f.events.all.compactMap { event -> (String, Date)? in
                    guard case .healthCheckPassed(let e) = event.payload, let date = event.date else { return nil }
                    return (e.providerID, date)
                }
            }
            // Every provider passes its first check within an interval and a bit (the bounds leave
            // room for a loaded machine: the spread is what the span below checks).
            let all = await eventually(timeout: .seconds(30)) { Set(firstChecks().map(\.0)).count == 400 }
            #expect(all, "\(firstChecks().count) first checks")
            #expect(ContinuousClock.now - begun < .seconds(20))
            let dates = firstChecks().map(\.1)
            let span = try #require(dates.max()).timeIntervalSince(try #require(dates.min()))
            #expect(span > 3 && span < 4.5, "first checks over \(span) s")
        }
    }

    /// A health check changes nothing a ping reply or an inventory says, so the hosts' cached
    /// encodings stay (with checks spread over the interval, every ping reencoded the hosts
    /// checked since); a label does change them.
    @Test func healthChecksLeaveTheHostsEncodingsAlone() async throws {
        try await LatticeFixture.using(.fast()) { f in
            func askAll() async throws {
                let hosts = try await f.client.hosts().hosts
                #expect(hosts.count == 3)
                for host in hosts { _ = try await f.client.inventory(hostID: host.id) }
            }
            try await askAll()
            let before = await f.simulator.hostEncodings
            // Two rounds of checks (every 2 s): `status` events come from second checks.
            let checked = await eventually(timeout: .seconds(15)) {
                f.events.all.filter { if case .healthCheckStatus = $0.payload { return true } else { return false } }.count >= 4
            }
            #expect(checked)
            try await askAll()
            #expect(await f.simulator.hostEncodings == before, "health checks made hosts' encodings again")
            let host = try #require(try await f.client.hosts().hosts.first)
            _ = try await f.client.putLabel(hostID: host.id, key: "latticetop-test", value: UUID().uuidString)
            _ = try await f.client.inventory(hostID: host.id)
            #expect(await f.simulator.hostEncodings > before)
        }
    }

    /// Every host is encoded once at the start, with its workload: the first pings and
    /// inventories are answered from those encodings.
    @Test func theFirstAnswersComeFromTheStartsEncodings() async throws {
        try await LatticeFixture.using(.fast()) { f in
            #expect(await f.simulator.hostEncodings == 3)
            let hosts = try await f.client.hosts().hosts
            #expect(hosts.count == 3)
            for host in hosts { _ = try await f.client.inventory(hostID: host.id) }
            #expect(await f.simulator.hostEncodings == 3, "the first answers encoded hosts again")
        }
    }
}
