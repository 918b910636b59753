import EmbeddedNATS
import Foundation
import LatticeClient
import LatticeProtocol
@testable import LatticeSim
@testable import LatticeTop
import NATSKit
import NATSTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A simulator that scales (issue #14): thousands of hosts over several `latticetop sim`
/// processes, each host answering `host.ping` within wash's default 2 s window, heartbeats spread
/// over the interval, host IDs unique and derived from one seed.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct SimulatorScaleTests {
    static func hostIDs(in output: String) -> [String] {
        output.components(separatedBy: "\n").compactMap { $0.hasPrefix("  host ") ? String($0.dropFirst(7)) : nil }
    }

    @Test func twoThousandHostsInTwoProcessesAllAnswerWithinWashsWindow() async throws {
        let server = try NATSServerProcess(.init())
        defer { server.stop() }
        let sim = try PipedProcess(["sim", "--nats-url", server.url, "--hosts", "2000", "--processes", "2", "--empty", "--rate", "0",
                                    "--host-seed", "14"])
        let ready = "simulating 2000 host(s) in 2 processes"
        #expect(sim.read(until: ready, within: .seconds(60)), "stderr: \(sim.stderrSoFar)")
        let banner = String(decoding: sim.output, as: UTF8.self)
        let ids = Self.hostIDs(in: banner)
        #expect(ids.count == 2000)
        #expect(Set(ids).count == 2000)
        #expect(sim.descendants().count == 2)

        // wash's default: one ping, replies gathered for 2 s. All 2,000 are in.
        let started = ContinuousClock.now
        let r = try GetCommandTests.run(["get", "hosts", "-o", "json", "--nats-url", server.url])
        #expect(r.status == 0, "\(r.stderr)")
        let hosts = try JSONDecoder().decode([HostInfo].self, from: Data(r.stdout.utf8))
        #expect(hosts.count == 2000)
        #expect(Set(hosts.map(\.id)) == Set(ids))
        #expect(ContinuousClock.now - started < .seconds(10))
        // A host of the second process answers its own host.get.
        let last = try #require(ids.last)
        let inv = try GetCommandTests.run(["get", "inventory", last, "-o", "json", "--nats-url", server.url])
        #expect(inv.status == 0, "\(inv.stderr)")
        #expect(inv.stdout.contains("\"host_id\":\"\(last)\"") || inv.stdout.contains("\"host_id\" : \"\(last)\""), "\(inv.stdout)")

        // SIGTERM to the parent stops the children (each host says host_stopped) and ends with 0.
        sim.signal(SIGTERM)
        #expect(sim.waitForExit(within: .seconds(30)) == 0, "stderr: \(sim.stderr)")
        let after = try GetCommandTests.run(["get", "hosts", "-o", "json", "--nats-url", server.url, "--timeout", "500"])
        #expect(try JSONDecoder().decode([HostInfo].self, from: Data(after.stdout.utf8)).isEmpty)
    }

    /// `--scale` over `--processes`: every host runs its round-robin share (5 components and 2
    /// providers each here), as one process would place them, with IDs unique across processes.
    @Test func aScaleWorkloadIsSpreadOverEveryProcesssHosts() async throws {
        let server = try NATSServerProcess(.init())
        defer { server.stop() }
        let sim = try PipedProcess(["sim", "--nats-url", server.url, "--hosts", "6", "--processes", "3", "--scale", "30,12,0",
                                    "--rate", "0", "--no-wadm", "--host-seed", "5"])
        #expect(sim.read(until: "simulating 6 host(s) in 3 processes", within: .seconds(60)), "stderr: \(sim.stderrSoFar)")
        let r = try GetCommandTests.run(["get", "inventory", "-o", "jsonl", "--nats-url", server.url])
        #expect(r.status == 0, "\(r.stderr)")
        let inventories = try r.stdout.split(separator: "\n").map { try WireJSON.decode(HostInventory.self, from: Data($0.utf8)) }
        #expect(inventories.count == 6)
        #expect(inventories.allSatisfy { $0.components.count == 5 && $0.providers.count == 2 }, "\(inventories.map { ($0.components.count, $0.providers.count) })")
        #expect(Set(inventories.flatMap { $0.components.map(\.id) }).count == 30)
        #expect(Set(inventories.flatMap { $0.providers.map(\.id) }).count == 12)
        sim.signal(SIGTERM)
        #expect(sim.waitForExit(within: .seconds(30)) == 0, "stderr: \(sim.stderr)")
    }

    @Test func aChildThatDiesStopsTheOthersAndTheParentFails() async throws {
        let server = try NATSServerProcess(.init())
        defer { server.stop() }
        let sim = try PipedProcess(["sim", "--nats-url", server.url, "--hosts", "6", "--processes", "3", "--empty", "--rate", "0"])
        #expect(sim.read(until: "simulating 6 host(s) in 3 processes", within: .seconds(60)), "stderr: \(sim.stderrSoFar)")
        let children = sim.descendants()
        #expect(children.count == 3)
        let victim = try #require(children.first)
        kill(victim, SIGKILL)
        #expect(sim.waitForExit(within: .seconds(30)) == 1)
        #expect(sim.stderr.contains("exited with status"), "\(sim.stderr)")
        for c in children { #expect(!PipedProcess.isAlive(c), "child \(c) still runs") }
    }

    @Test func bothSidesOfASplitDeriveTheSameHostsFromTheSeed() async throws {
        let server = try TestServers.start()
        defer { server.stop() }
        func ids(hosts: Int, first: Int) async throws -> [String] {
            var options = TestServers.options([server.url], name: "sim")
            options.globalMessageDelivery = true
            let nc = try await NATSConnection.connect(options)
            var configuration = SimulatorConfiguration(hosts: hosts, workload: false, invocationsPerSecond: 0, wadm: false)
            configuration.hostSeed = 99
            configuration.firstHostIndex = first
            let sim = LatticeSimulator(connection: nc, configuration: configuration)
            try await sim.start()
            let out = await sim.hostIDs
            await sim.stop()
            nc.close()
            return out
        }
        let whole = try await ids(hosts: 5, first: 0)
        let tail = try await ids(hosts: 2, first: 3)
        #expect(Set(whole).count == 5)
        #expect(tail == Array(whole[3...]))
        #expect(try await ids(hosts: 5, first: 0) == whole)
    }

    /// wRPC traffic over a scale workload's links: a call picks the next running link without a
    /// pass over every link and host (at 20,000 links that took the simulator's whole core).
    @Test func trafficOverTwentyThousandLinksCostsLittleACall() async throws {
        var configuration = SimulatorConfiguration.fast(hosts: 2000)
        configuration.invocationsPerSecond = 0
        configuration.wadm = false
        configuration.scale = ScaleWorkload(components: 10_000, providers: 4_000, links: 20_000, configs: 0)
        try await LatticeFixture.using(configuration) { f in
            #expect(await f.simulator.simulatedLinks.count == 20_000)
            let started = ContinuousClock.now
            for _ in 0..<20 { await f.simulator.sendInvocation() }
            let took = ContinuousClock.now - started
            #expect(took < .seconds(2), "20 calls took \(took)")
            #expect(await f.simulator.invocationsSent == 20)
        }
    }

    @Test func splicedEncodingsAreTheBytesOfTheWholeObject() throws {
        var world = LatticeSim.SimulatedLattice(lattice: "default", version: "1.9.2")
        let started = Date(timeIntervalSince1970: 1_748_779_200)
        var host = SimulatedHost(id: "NBHOST", friendlyName: "calm-river-1234",
                                 labels: ["zone": "eu\u{1b}[31m\"x\"/\u{202e}", "version": "a,\"version\":b"], startedAt: started)
        host.components["c"] = SimulatedComponent(id: "c", imageRef: "ghcr.io/x/c:1", maxInstances: 2, annotations: ["a": "b"])
        world.addHost(host)
        let now = started.addingTimeInterval(3_725)
        let info = try #require(SimJSON.UptimeSplice(withoutUptime: world.hostInfoWithoutUptime(host)))
        #expect(info.with(uptimeSeconds: 3_725, human: "1h 2m 5s") == SimJSON.encode(world.hostInfo(host, now: now)))
        let inventory = try #require(SimJSON.UptimeSplice(withoutUptime: world.inventoryWithoutUptime(host)))
        #expect(inventory.with(uptimeSeconds: 3_725, human: "1h 2m 5s") == SimJSON.encode(world.inventory(host, now: now)))
        let reply = LatticeSim.SimulatedLattice.Reply.ok(encodedResponse: SimJSON.encode(world.hostInfo(host, now: now)))
        #expect(reply.body == LatticeSim.SimulatedLattice.Reply.ok(response: world.hostInfo(host, now: now)).body)

        // The CloudEvent around already encoded data: the bytes of encoding the whole envelope.
        let event = SimulatedEvent.heartbeat(encoded: SimJSON.encode(world.inventory(host, now: now)))
        let at = Date(timeIntervalSince1970: 1_748_779_200.5)
        for source in ["NBHOST", "a \"quoted\" source\u{1b}"] {
            let bytes = event.envelope(source: source, at: at)
            let object = try #require(SimJSON.object(bytes))
            let id = try #require(object["id"] as? String)
            let whole: [String: Any] = ["specversion": "1.0", "id": id, "type": "com.wasmcloud.lattice.host_heartbeat", "source": source,
                                        "datacontenttype": "application/json", "time": "2025-06-01T12:00:00.500000Z",
                                        "data": try #require(SimJSON.object(event.data))]
            #expect(bytes == SimJSON.encode(whole), "\(String(decoding: bytes, as: UTF8.self))")
            #expect(id.count == 36 && id.hasPrefix("01972b5c-eff4-"))
        }
        #expect(SimulatedEvent.rfc3339(Date(timeIntervalSince1970: 951_782_400.25)) == "2000-02-29T00:00:00.250000Z")
    }

    /// The bulk of a big lattice's traffic, as the simulator publishes it (`data` before `type`),
    /// is read directly, not left to `JSONDecoder`, and to the same value.
    @Test func heartbeatsAndHealthReportsAreReadDirectly() throws {
        var world = LatticeSim.SimulatedLattice(lattice: "default", version: "1.9.2")
        let started = Date(timeIntervalSince1970: 1_748_779_200)
        var host = SimulatedHost(id: "NBHOST", friendlyName: "calm-river-1234", labels: ["zone": "eu \"west\"/\u{1b}"], startedAt: started)
        for i in 0..<5 {
            host.components["c\(i)"] = SimulatedComponent(id: "c\(i)", imageRef: "ghcr.io/x/c\(i):1", maxInstances: 2, annotations: ["a": "\(i)"])
        }
        host.providers["p"] = SimulatedProvider(id: "p", imageRef: "ghcr.io/x/p:1", name: "P", annotations: [:], startedAt: started,
                                                nextProbe: started)
        world.addHost(host)
        let now = started.addingTimeInterval(3_725)
        let events = [SimulatedEvent.heartbeat(encoded: SimJSON.encode(world.inventory(host, now: now))),
                      .health("passed", host: "NBHOST", provider: "p"), .health("failed", host: "NBHOST", provider: "p"),
                      .health("status", host: "NBHOST", provider: "p")]
        for event in events {
            let bytes = event.envelope(source: "NBHOST", at: now)
            let direct = try #require(LatticeEventDecoder.direct(bytes), "\(String(decoding: bytes, as: UTF8.self))")
            #expect(direct == (try WireJSON.decode(LatticeEvent.self, from: bytes)))
        }
    }

    @Test func badProcessCountsAreOneClearLine() throws {
        for (args, message) in [(["--processes", "0"], "--processes must be 1 or more"),
                                (["--hosts", "2", "--processes", "3"], "--processes (3) cannot exceed --hosts (2)")] {
            let r = try GetCommandTests.run(["sim", "--nats-url", "nats://127.0.0.1:1"] + args)
            #expect(r.status != 0)
            #expect(r.stderr.contains(message), "\(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
    }

    @Test func theSupervisorSplitsHostsAndArgumentsPerChild() {
        let shares = SimSupervisor.shares(hosts: 10_001, processes: 4)
        #expect(shares.map(\.count) == [2501, 2500, 2500, 2500])
        #expect(shares.map(\.first) == [0, 2501, 5001, 7501])
        let supervisor = SimSupervisor(hosts: 10, processes: 2, seed: 7, lattice: "default", servers: [])
        let given = ["--nats-url", "nats://x:1", "--hosts", "10", "--processes=2", "--host-seed", "3", "--empty", "--hosts-only"]
        let second = supervisor.childArguments(1, share: (5, 5), given: given)
        #expect(Array(second.prefix(3)) == ["--nats-url", "nats://x:1", "--empty"])
        #expect(second.contains("--hosts-only"))
        #expect(second.split(separator: "--hosts").count == 2)
        let pairs = Dictionary(zip(second, second.dropFirst()), uniquingKeysWith: { a, _ in a })
        #expect(pairs["--hosts"] == "5" && pairs["--first-host"] == "5" && pairs["--host-seed"] == "7" && pairs["--lattice-hosts"] == "10")
        #expect(!supervisor.childArguments(0, share: (0, 5), given: given).contains("--hosts-only"))
    }

    @Test func heartbeatsAreSpreadEvenlyOverTheInterval() {
        let s = HeartbeatSchedule(hosts: 4, interval: .seconds(30))
        #expect((0..<4).map { s.offset(of: $0) } == [.milliseconds(7500), .seconds(15), .milliseconds(22500), .seconds(30)])
        // Each host once an interval, one interval apart.
        #expect((0..<12).map(s.host(of:)) == [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3])
        #expect(s.offset(of: 5) - s.offset(of: 1) == .seconds(30))
        #expect(s.due(from: 0, by: .seconds(7)) == 0..<0)
        #expect(s.due(from: 0, by: .seconds(16)) == 0..<2)
        #expect(s.due(from: 2, by: .seconds(60)) == 2..<8)
        // 10,000 hosts: a beat every 3 ms, so about 67 in each 200 ms wake-up, never a burst of all.
        let big = HeartbeatSchedule(hosts: 10_000, interval: .seconds(30))
        #expect(big.due(from: 0, by: .milliseconds(200)).count == 66)
        #expect(big.due(from: 0, by: .seconds(30)).count == 10_000)
        #expect(HeartbeatSchedule(hosts: 0, interval: .seconds(1)).due(from: 0, by: .seconds(5)).isEmpty)
    }

    @Test func heartbeatsOnTheWireComeSpreadAndOncePerHost() async throws {
        var configuration = SimulatorConfiguration.fast(hosts: 20)
        configuration.workload = false
        configuration.invocationsPerSecond = 0
        configuration.heartbeatInterval = .seconds(2)
        let f = try await LatticeFixture(configuration, startSimulator: false)
        let subscription = try f.connection.subscribe("wasmbus.evt.default.host_heartbeat")
        try f.connection.flush()
        let started = ContinuousClock.now
        try await f.simulator.start()
        var arrivals: [(Duration, String)] = []
        while arrivals.count < 20, ContinuousClock.now - started < .seconds(10) {
            guard let batch = await subscription.awaitBatch(within: .seconds(5)) else { break }
            let at = ContinuousClock.now - started
            for m in batch {
                let object = try JSONSerialization.jsonObject(with: m.data) as? [String: Any]
                arrivals.append((at, object?["source"] as? String ?? ""))
            }
        }
        subscription.unsubscribe()
        await f.shutdown()
        // The first round: each host once, spread over the interval rather than in one burst.
        #expect(arrivals.count == 20)
        #expect(Set(arrivals.map(\.1)).count == 20)
        let first = try #require(arrivals.first?.0), last = try #require(arrivals.last?.0)
        #expect(last - first >= .milliseconds(1200), "\(arrivals.map(\.0))")
        #expect(last <= .seconds(6))
    }
}
