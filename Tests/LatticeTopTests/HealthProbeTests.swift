import EmbeddedNATS
import Foundation
import LatticeClient
@testable import LatticeMonitor
import LatticeProtocol
import LatticeSim
import LatticeState
import NATSKit
import Synchronization
import TestFixtures
import Testing
@testable import LatticeTop

/// The probe schedule, pure.
@Suite struct HealthProbeScheduleTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func everyProviderAtStartThenEveryInterval() {
        var schedule = HealthProbeSchedule(interval: 30)
        let ids = ["a", "b", "c"]
        #expect(schedule.due(ids, now: t0) == ids)
        #expect(schedule.due(ids, now: t0 + 1).isEmpty)
        #expect(schedule.due(ids, now: t0 + 29.9).isEmpty)
        #expect(schedule.due(ids, now: t0 + 30) == ids)
        // A new provider is probed at once; one that went away is forgotten and probed at once when back.
        #expect(schedule.due(["a", "b", "c", "d"], now: t0 + 31) == ["d"])
        #expect(schedule.due(["a", "b", "d"], now: t0 + 32).isEmpty)
        #expect(schedule.due(["a", "b", "c", "d"], now: t0 + 33) == ["c"])
    }

    /// 1,000 providers are spread over half an interval, not probed in one burst, and every one
    /// is probed within the interval.
    @Test func aThousandProvidersAreSpreadOut() {
        var schedule = HealthProbeSchedule(interval: 30)
        let ids = (0..<1000).map { "p\($0)" }
        var firstProbe: [String: Int] = [:]
        var perSecond: [Int] = []
        for second in 0..<60 {
            let due = schedule.due(ids, now: t0 + Double(second))
            perSecond.append(due.count)
            for id in due where firstProbe[id] == nil { firstProbe[id] = second }
        }
        #expect(perSecond.max() == 67, "⌈1000 / 15⌉ a second")
        #expect(firstProbe.count == 1000)
        #expect(firstProbe.values.max()! < 30, "all known within one interval")
        #expect(perSecond.reduce(0, +) == 2000, "each probed again one interval later")
    }

    /// What the schedule stands for: every target waiting (new ones since ever), sorted by due
    /// time then ID, the first `budget` of them taken.
    struct SortingSchedule {
        let interval: TimeInterval
        var nextDue: [String: Date] = [:]

        mutating func due(_ targets: Set<String>, budget: Int, now: Date) -> [String] {
            nextDue = nextDue.filter { targets.contains($0.key) }
            let waiting = targets.map { (nextDue[$0] ?? .distantPast, $0) }.filter { $0.0 <= now }
            let picked = waiting.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.prefix(budget).map(\.1)
            for id in picked { nextDue[id] = now.addingTimeInterval(interval) }
            return picked
        }
    }

    /// The schedule's queue gives what sorting every waiting target gives, in that order, with
    /// targets coming and going (a revision that moves with them) and seconds without a
    /// change (the same revision: the targets are not compared again).
    @Test(arguments: Array(1...20) as [UInt64]) func theQueueGivesWhatSortingEveryWaitingOneGives(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        var schedule = HealthProbeSchedule(interval: 10, minimumBudget: 3)
        var reference = SortingSchedule(interval: 10)
        var targets = Set((0..<30).map { "p\($0)" }), revision: UInt64 = 0
        var probed = 0
        for second in 0..<300 {
            if Int.random(in: 0..<4, using: &generator) == 0 {
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    let id = "p\(Int.random(in: 0..<60, using: &generator))"
                    if targets.contains(id) { targets.remove(id) } else { targets.insert(id) }
                }
                revision += 1
            }
            let now = t0 + Double(second) + Double.random(in: 0..<0.5, using: &generator)
            let due = schedule.due(targets, revision: revision, now: now)
            let expected = reference.due(targets, budget: schedule.budget(for: targets.count), now: now)
            #expect(due == expected, "seed \(seed) second \(second)")
            if due != expected { return }
            probed += due.count
        }
        #expect(probed > 300)
    }
}

/// Probes against a real nats-server with the simulator answering as the provider SDK does.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct HealthProbeTests {
    static func configuration() -> SimulatorConfiguration {
        var c = SimulatorConfiguration.fast()
        c.healthAnswers = [
            "rust_http_kv-kvredis": .silent,
            "nats-messaging": .unhealthy(message: "broker down"),
            "rust_hello_world-httpserver": .noEndpoint,
        ]
        return c
    }

    @Test func eachAnswerBecomesItsOutcome() async throws {
        try await LatticeFixture.using(Self.configuration()) { f in
            var client = f.client
            client.timeout = .milliseconds(500)
            let results = Mutex<[String: ProbeOutcome]>([:])
            let ids = ["rust_http_kv-kvredis", "nats-messaging", "rust_hello_world-httpserver", "rust_http_kv-httpserver", "nobody-here"]
            await HealthProber.probe(ids, client: client) { id, outcome in results.withLock { $0[id] = outcome } }
            #expect(results.withLock { $0 } == [
                "rust_http_kv-kvredis": .notAnswering,
                "nats-messaging": .unhealthy(message: "broker down"),
                "rust_hello_world-httpserver": .noHealthEndpoint,
                "rust_http_kv-httpserver": .healthy(message: nil),
                "nobody-here": .noHealthEndpoint,
            ])
            #expect(await f.simulator.healthProbesReceived >= 3, "the silent one received its probe too")

            // The test hook changes the answer at once, and back.
            await f.simulator.setHealthAnswer(.unhealthy(message: nil), provider: "rust_http_kv-httpserver")
            let unhealthy = try await client.providerHealth("rust_http_kv-httpserver")
            #expect(unhealthy == HealthCheckResponse(healthy: false))
            await f.simulator.setHealthAnswer(.healthy, provider: "rust_hello_world-httpserver")
            let healthy = try await client.providerHealth("rust_hello_world-httpserver")
            #expect(healthy == HealthCheckResponse(healthy: true))
            await f.simulator.setHealthAnswer(.noEndpoint, provider: "rust_http_kv-httpserver")
            do throws(LatticeClientError) {
                _ = try await client.providerHealth("rust_http_kv-httpserver")
                Issue.record("a provider without a health subscription answered")
            } catch {
                #expect(error == .noResponders(subject: "wasmbus.rpc.default.rust_http_kv-httpserver.health"))
            }
        }
    }

    /// A stopped provider stops answering (its subscription goes with it), as a provider process does.
    @Test func aStoppedProviderHasNoHealthEndpoint() async throws {
        try await LatticeFixture.using() { f in
            let inventories = await f.simulator.inventories()
            let host = try #require(inventories.first { $0.providers.contains { $0.id == "rust_http_kv-kvredis" } })
            #expect(try await f.client.providerHealth("rust_http_kv-kvredis").healthy)
            try await f.client.stopProvider(hostID: host.hostID, providerID: "rust_http_kv-kvredis")
            let gone = await eventually {
                do throws(LatticeClientError) {
                    _ = try await f.client.providerHealth("rust_http_kv-kvredis")
                    return false
                } catch {
                    return error == .noResponders(subject: "wasmbus.rpc.default.rust_http_kv-kvredis.health")
                }
            }
            #expect(gone)
        }
    }

    /// A read (link.get, config.get, claims.get) is answered without walking every host to bring
    /// the health endpoints in line with the providers (a read changes nothing; at 10,000 hosts
    /// each walk cost the simulator ~15 ms); a provider stop still walks them.
    @Test func readsDoNotWalkTheHealthEndpoints() async throws {
        try await LatticeFixture.using() { f in
            let before = await f.simulator.healthEndpointScans
            #expect(before >= 1, "the start brought them in line")
            for _ in 0..<3 {
                _ = try await f.client.links()
                _ = try await f.client.config(name: "no-such-config")
                _ = try await f.client.claims()
            }
            #expect(await f.simulator.healthEndpointScans == before, "reads walked the health endpoints")
            let inventories = await f.simulator.inventories()
            let host = try #require(inventories.first { $0.providers.contains { $0.id == "rust_http_kv-kvredis" } })
            try await f.client.stopProvider(hostID: host.hostID, providerID: "rust_http_kv-kvredis")
            #expect(await eventually { await f.simulator.healthEndpointScans > before })
        }
    }

    @Test func getProvidersShowsHealth() async throws {
        try await LatticeFixture.using(Self.configuration()) { f in
            let r = try GetCommandTests.run(["get", "providers", "--output", "json", "--nats-url", f.server.url, "--timeout", "700"])
            #expect(r.status == 0, "\(r.stderr)")
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
            var health: [String: String] = [:], messages: [String: String] = [:]
            for row in rows {
                let id = try #require(row["id"] as? String)
                health[id] = row["health"] as? String
                if let m = row["health_message"] as? String { messages[id] = m }
                #expect(row.keys.contains("health_message"), "present, null when there is none")
            }
            #expect(health == ["rust_http_kv-kvredis": "not answering", "nats-messaging": "unhealthy",
                               "rust_hello_world-httpserver": "no health endpoint", "rust_http_kv-httpserver": "healthy"])
            #expect(messages == ["nats-messaging": "broker down"])

            let table = try GetCommandTests.run(["get", "providers", "--nats-url", f.server.url, "--timeout", "700"])
            #expect(table.status == 0)
            #expect(table.stdout.split(separator: "\n").first?.hasSuffix("HEALTH") == true, "\(table.stdout)")
            #expect(table.stdout.contains("unhealthy: broker down"))
            #expect(table.stdout.contains("not answering"))

            let off = try GetCommandTests.run(["get", "providers", "-o", "json", "--no-health", "--nats-url", f.server.url])
            #expect(off.status == 0)
            #expect(off.stdout.contains(#""health" : "unknown""#))
            #expect(!off.stdout.contains(#""health" : "healthy""#))
        }
    }

    @Test func builtinProvidersAreNeverProbed() async throws {
        var configuration = SimulatorConfiguration.fast()
        configuration.builtinProviders = true
        try await LatticeFixture.using(configuration) { f in
            let host = try #require(await f.simulator.runningHostIDs.first)
            try await f.client.startProvider(hostID: host, StartProviderCommand(providerID: "builtin-http",
                                                                                providerRef: "wasmcloud+builtin://http-server", hostID: host))
            #expect(await eventually { await f.simulator.inventories().contains { $0.providers.contains { $0.id == "builtin-http" } } })
            let r = try GetCommandTests.run(["get", "providers", "--output", "json", "--nats-url", f.server.url, "--timeout", "700"])
            #expect(r.status == 0, "\(r.stderr)")
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
            let builtin = try #require(rows.first { $0["id"] as? String == "builtin-http" })
            #expect(builtin["health"] as? String == "unknown")
            #expect(builtin["health_message"] as? String == "builtin provider, not probed")
            // Positive signal first: the others were probed and answered.
            #expect(rows.filter { $0["health"] as? String == "healthy" }.count == 4)
        }
    }

    /// The whole dashboard: every provider's health is known from the first probe round (no
    /// "unknown" left), crashes and silence are told apart, and the inspector shows both sources.
    @Test func theDashboardProbesAtStartAndShowsBothSources() async throws {
        try await LatticeFixture.using(Self.configuration()) { f in
            let app = FaultDashboardTests.App(servers: [f.server.url], healthProbeInterval: 2, timeout: .milliseconds(700))
            await app.pane("3")
            await app.expectScreen("⌛ not answering health probe")
            await app.expectScreen("UNHEALTHY")
            await app.expectScreen("broker down")
            await app.expectScreen("? no health endpoint")
            #expect(!app.terminal.text.contains("unknown"), "\(app.terminal.text)")
            // Back to healthy on the next probe round once it answers again.
            await f.simulator.setHealthAnswer(.healthy, provider: "rust_http_kv-kvredis")
            await app.expectGone("not answering health probe")
            app.terminal.type("/kvredis")
            app.terminal.press(.enter)
            await app.terminal.settle()
            app.terminal.press(.enter)
            await app.expectScreen("health inspector")
            await app.expectScreen("probe: not answering health probe")
            await app.expectScreen("probe: healthy")
            await app.expectScreen("host event: health check passed")
            await app.expectScreen("last probe")
            await app.stop()
        }
    }
}

/// Probe results reach the model in runs (`ProbeResultBatcher`), not one hand-over each.
@Suite struct ProbeResultBatcherTests {
    @Test func runsBySizeByAgeAndAtTheEnd() {
        let handed = Mutex<[[String]]>([])
        let batcher = ProbeResultBatcher(size: 3, age: .milliseconds(100)) { inputs in
            handed.withLock { $0.append(inputs.compactMap { if case .healthProbe(let id, _, _) = $0 { id } else { nil } }) }
        }
        func result(_ id: String) -> LatticeInput { .healthProbe(providerID: id, outcome: .notAnswering, at: Date()) }
        let t0 = ContinuousClock.now
        batcher.add(result("a"), now: t0)
        batcher.add(result("b"), now: t0 + .milliseconds(10))
        #expect(handed.withLock { $0 }.isEmpty)
        batcher.add(result("c"), now: t0 + .milliseconds(20))
        #expect(handed.withLock { $0 } == [["a", "b", "c"]])
        batcher.add(result("d"), now: t0 + .milliseconds(30))
        // The oldest waiting is 100 ms old when "e" arrives: both go.
        batcher.add(result("e"), now: t0 + .milliseconds(130))
        #expect(handed.withLock { $0 } == [["a", "b", "c"], ["d", "e"]])
        batcher.add(result("f"), now: t0 + .milliseconds(140))
        batcher.flush()
        batcher.flush()
        #expect(handed.withLock { $0 } == [["a", "b", "c"], ["d", "e"], ["f"]])
    }
}
