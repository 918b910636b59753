import EmbeddedNATS
import Foundation
import LatticeMonitor
import LatticeProtocol
import LatticeSim
import LatticeState
import NATSKit
import NATSTestSupport
import Testing
import TerminalUI
@testable import LatticeTop

/// Faults, seen through the whole dashboard (monitor, UI loop, effects task) on a scripted
/// terminal against the simulator on real nats-server processes: the server killed and
/// restarted, a cluster member killed, a spy flood, a host that vanishes. Every server and
/// simulator is stopped however a test ends.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct FaultDashboardTests {
    /// The dashboard on a scripted terminal, connected to `servers`.
    final class App: @unchecked Sendable {
        let terminal = ScriptedTerminal(width: 200, height: 45)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ltfault-\(UUID().uuidString)")
        private var task: Task<Void, any Error>?

        init(servers: [String], model: LatticeStateConfiguration = LatticeStateConfiguration(),
             healthProbeInterval: TimeInterval = 30, timeout: Duration = .seconds(2),
             monitor: MonitorConfiguration = MonitorConfiguration(), editorCommand: String? = nil, history: HistoryConfiguration? = nil) {
            let settings = ConnectionSettings(nats: NATSConnectionOptions(servers: servers), lattice: "default", timeout: timeout)
            var monitor = monitor
            if let history { monitor.history = history }
            var options = DashboardApp.Options(settings: settings, monitor: monitor)
            options.editorCommand = editorCommand
            options.auditPath = directory.appendingPathComponent("audit.log").path
            options.model = model
            options.healthProbeInterval = healthProbeInterval
            let app = DashboardApp(options: options)
            let terminal = self.terminal
            task = Task { try await app.run(on: terminal) }
        }

        /// Closes any overlay, quits and waits for the app to end.
        func stop() async {
            terminal.press(.escape, .escape, .character("q"))
            _ = try? await task?.value
            task = nil
            try? FileManager.default.removeItem(at: directory)
        }

        /// Waits for `needle` on the screen; records the screen when it does not come.
        func expectScreen(_ needle: String, timeout: Duration = .seconds(10), sourceLocation: SourceLocation = #_sourceLocation) async {
            if await terminal.waitFor(needle, timeout: timeout) { return }
            Issue.record("the screen never showed \"\(needle)\"; \(screenReport(terminal.text))", sourceLocation: sourceLocation)
        }

        /// Waits until the screen no longer shows `needle`.
        func expectGone(_ needle: String, timeout: Duration = .seconds(10), sourceLocation: SourceLocation = #_sourceLocation) async {
            if await eventually(timeout: timeout, { !terminal.text.contains(needle) }) { return }
            Issue.record("the screen still shows \"\(needle)\":\n\(terminal.text)", sourceLocation: sourceLocation)
        }

        /// The header's counts ("hosts 3  comps 9  provs 4  links 4").
        var counts: String? {
            terminal.text.firstMatch(of: /hosts \d+  comps \d+  provs \d+  links \d+/).map { String($0.output) }
        }

        /// Opens pane `n` with no filter.
        func pane(_ n: Character) async {
            terminal.type(String(n))
            terminal.press(.escape)
            await terminal.settle()
        }
    }

    /// Runs `body` with a simulator on `fixture`'s server and the dashboard on it (started after
    /// `beforeStart`); everything is stopped however `body` ends.
    static func withDashboard(_ configuration: SimulatorConfiguration = .fast(), model: LatticeStateConfiguration = LatticeStateConfiguration(),
                              monitor: MonitorConfiguration = MonitorConfiguration(), timeout: Duration = .seconds(2),
                              editorCommand: String? = nil, beforeStart: (LatticeFixture) async -> Void = { _ in },
                              _ body: (LatticeFixture, App) async throws -> Void) async throws {
        try await LatticeFixture.using(configuration) { fixture in
            await beforeStart(fixture)
            let app = App(servers: [fixture.server.url], model: model, timeout: timeout, monitor: monitor, editorCommand: editorCommand)
            do {
                try await body(fixture, app)
            } catch {
                await app.stop()
                throw error
            }
            await app.stop()
        }
    }

    // MARK: - 1. The server killed and restarted on the same port

    @Test func serverKilledAndRestartedMidSessionRecoversWithTheLinkDraftIntact() async throws {
        try await Self.withDashboard { fixture, app in
            let sim = fixture.simulator
            await app.pane("4")
            await app.expectScreen("Links (4)")
            await app.pane("5")
            await app.expectScreen("Config (4)")
            await app.pane("4")
            let before = try #require(app.counts)

            // A link draft, half typed.
            app.terminal.type("a")
            await app.expectScreen("Add link")
            app.terminal.press(.ctrl("u"))
            app.terminal.type("echo-messaging")
            app.terminal.press(.tab, .ctrl("u"))
            app.terminal.type("rust_http_kv-kvredis")
            app.terminal.press(.tab, .tab, .ctrl("u"))
            app.terminal.type("wasi")
            await app.terminal.settle()

            // kill -9: the banner says so, with the reconnect attempts and the data's age.
            fixture.server.kill9()
            await app.expectScreen("NATS connection lost for")
            await app.expectScreen("reconnecting (#2)")
            await app.expectScreen("(hosts ")
            #expect(app.terminal.text.contains("links ") && app.terminal.text.contains("s old"), "\(app.terminal.text)")
            #expect(app.terminal.text.contains("○ RECONNECTING"))
            // The draft takes more keys while the server is down; a host vanishes meanwhile
            // (no event, no heartbeat: only a resync's ping can tell).
            app.terminal.press(.tab, .ctrl("u"))
            app.terminal.type("keyvalue")
            app.terminal.press(.tab, .ctrl("u"))
            app.terminal.type("store")
            await sim.trigger(.vanishingHost)
            let vanished = try #require(Set(await sim.hostIDs).subtracting(await sim.runningHostIDs).first)
            try await Task.sleep(for: .seconds(1))

            try fixture.server.start()
            // Recovered by itself: the banner goes, the header says connected again.
            await app.expectGone("NATS connection lost", timeout: .seconds(15))
            await app.expectScreen("● connected \(fixture.server.url.replacingOccurrences(of: "nats://", with: ""))")
            // The draft is intact.
            let draft = app.terminal.text
            for value in ["Add link", "echo-messaging", "rust_http_kv-kvredis", "wasi", "keyvalue", "store"] {
                #expect(draft.contains(value), "\(value) lost from the draft:\n\(draft)")
            }
            // The simulated hosts reconnect on their own schedule, often after the dashboard: a put
            // sent before they are back gets "no responders" (and the form back with the draft and
            // that reason). Send once the hosts answer link requests again.
            let answering = await eventually(timeout: .seconds(15)) { (try? await fixture.client.links()) != nil }
            #expect(answering, "the simulated hosts do not answer link.get after the restart")
            app.terminal.press(.enter)
            await app.expectScreen("Add link?")
            app.terminal.type("y")
            await app.expectScreen("✔ put link echo-messaging → rust_http_kv-kvredis")
            let put = try #require(await sim.received(.linkPut).last?.decoded(Link.self))
            #expect(put.sourceID == "echo-messaging" && put.target == "rust_http_kv-kvredis" && put.witNamespace == "wasi"
                    && put.witPackage == "keyvalue" && put.interfaces == ["store"] && put.name == "default")

            // A resync ran: the vanished host did not answer its ping (its heartbeat threshold is 70 s).
            await app.pane("1")
            // (The others may miss the first ping when they reconnect after the dashboard; their
            // next heartbeat makes them live again.)
            let flagged = await eventually(timeout: .seconds(15)) {
                let rows = app.terminal.text.split(separator: "\n").filter { $0.contains("(no ping reply)") }
                return rows.count == 1 && rows[0].contains(Format.shortID(vanished))
            }
            #expect(flagged, "the vanished host \(vanished) is not the one without a ping reply:\n\(app.terminal.text)")
            // Nothing lost: the same hosts, components and providers, the new link, the config.
            await app.expectScreen("Hosts (3)")
            let after = before.replacingOccurrences(of: "links 4", with: "links 5")
            #expect(await eventually { app.counts == after }, "before \(before), after \(app.counts ?? "?")")
            await app.pane("5")
            await app.expectScreen("Config (4)")
            await app.pane("4")
            await app.expectScreen("Links (5)")
        }
    }

    // MARK: - 2. A cluster member killed

    @Test func aKilledClusterMemberFailsOverToAnotherAndTheStateKeepsUpdating() async throws {
        let cluster = try TestCluster(size: 3)
        do {
            try await failover(cluster)
        } catch {
            cluster.stop()
            throw error
        }
        cluster.stop()
    }

    private func failover(_ cluster: TestCluster) async throws {
        try await cluster.waitForRoutes()
        // The simulator on node0 (it may fail over too); the dashboard given node1 and node2.
        let simConnection = try await NATSConnection.connect(NATSConnectionOptions(servers: [cluster.urls[0]], name: "sim"))
        let sim = LatticeSimulator(connection: simConnection, configuration: .fast())
        try await sim.start()
        let app = App(servers: [cluster.urls[1], cluster.urls[2]])
        do {
            let first = try #require(await sim.inventories().first?.friendlyName)
            await app.expectScreen(first)
            let header = try #require(app.terminal.text.firstMatch(of: /● connected (127\.0\.0\.1:\d+)/))
            let connectedTo = "nats://" + header.output.1
            let victim = try #require(cluster.node(for: connectedTo))
            victim.kill9()
            // Another member takes over; the header names it.
            let moved = await eventually(timeout: .seconds(15)) {
                guard let m = app.terminal.text.firstMatch(of: /● connected (127\.0\.0\.1:\d+)/) else { return false }
                return "nats://" + m.output.1 != connectedTo
            }
            #expect(moved, "still on \(connectedTo) or disconnected:\n\(app.terminal.text)")
            // The state keeps updating: a provider that fails to start now shows up.
            await app.pane("3")
            await sim.trigger(.failedStart)
            await app.expectScreen("missing-provider", timeout: .seconds(10))
            await app.expectGone("NATS connection lost", timeout: .seconds(5))
        } catch {
            await app.stop()
            await sim.stop()
            simConnection.close()
            throw error
        }
        await app.stop()
        await sim.stop()
        simConnection.close()
    }

    // MARK: - 3. A spy flood

    @Test func aSpyFloodIsCountedAsDropsAndKeysAreStillAnswered() async throws {
        try await Self.withDashboard { fixture, app in
            await app.pane("8")
            await app.expectScreen("Spy lattice-wide")
            let publisher = try await NATSConnection.connect(NATSConnectionOptions(servers: [fixture.server.url], name: "flood"))
            defer { publisher.close() }
            let total = 400_000
            let flood = Task.detached {
                let subject = "default.flood-target.wrpc.0.0.1.wasi:keyvalue/store@0.2.0-draft.get"
                let payload = Data(repeating: 0x41, count: 32)
                let headers = ["source-id": "flooder", "link-name": "default"]
                for i in 0..<total {
                    try publisher.publish(subject, payload: payload, reply: "_INBOX.flood.\(i)", headers: headers)
                }
                try publisher.flush(timeout: .seconds(30))
            }
            // While it floods: keys that change the screen, timed from the key to the frame that shows it.
            var latencies: [Duration] = []
            for _ in 0..<20 {
                if let t = await app.terminal.timeToFrame(after: [.character("?")], showing: "Help — keys for Spy") { latencies.append(t) }
                if let t = await app.terminal.timeToFrame(after: [.escape], showing: "Spy lattice-wide") { latencies.append(t) }
            }
            try await flood.value
            // The drops are counted and shown, and every flood message is in the title as captured or
            // dropped (the simulator's own traffic comes on top).
            func counts() -> (captured: Int, dropped: Int)? {
                app.terminal.text.firstMatch(of: /(\d+) captured, (\d+) dropped/).flatMap { m in
                    Int(m.output.1).flatMap { c in Int(m.output.2).map { (c, $0) } }
                }
            }
            let accounted = await eventually(timeout: .seconds(30)) {
                counts().map { $0.dropped > 0 && $0.captured + $0.dropped >= total } ?? false
            }
            #expect(accounted, "drops not shown, or flood messages missing from the title:\n\(app.terminal.text)")
            #expect(!app.terminal.text.contains("NATS connection lost"), "the flood cost the connection:\n\(app.terminal.text)")
            let sorted = latencies.sorted()
            #expect(sorted.count == 40, "\(40 - sorted.count) keys never showed")
            let median = sorted[sorted.count / 2], worst = sorted.last ?? .zero
            print("spy flood of \(total): key→frame median \(median), p90 \(sorted[sorted.count * 9 / 10]), max \(worst); \(app.terminal.text.firstMatch(of: /\d+ captured, \d+ dropped/).map { String($0.output) } ?? "")")
            // The test asserts what cannot depend on the machine's load: every key was answered
            // (within timeToFrame's 5 s) and the app never froze. The key→frame figures are
            // printed and recorded in docs/reliability.md; speed is judged there, not here (the
            // issue's 100 ms is a figure for a quiet machine, and a timed assertion on a shared
            // one only measures the neighbours).
            #expect(worst < .seconds(5), "a key took \(worst) to show while flooding")
        }
    }

    // MARK: - 4. A host that vanishes

    @Test func aVanishedHostIsStaleThenGoneInTheHostsPane() async throws {
        var config = SimulatorConfiguration.fast()
        config.heartbeatInterval = .seconds(1)
        let model = LatticeStateConfiguration(hostStaleAfter: 2.5, staleHostRemovalAfter: 6)
        try await Self.withDashboard(config, model: model) { fixture, app in
            let sim = fixture.simulator
            await app.pane("1")
            await app.expectScreen("Hosts (3)")
            let names = Dictionary(uniqueKeysWithValues: await sim.inventories().map { ($0.hostID, $0.friendlyName) })
            await sim.trigger(.vanishingHost)
            let vanished = try #require(Set(await sim.hostIDs).subtracting(await sim.runningHostIDs).first)
            let name = try #require(names[vanished])
            // Stale after the threshold (no heartbeat), never "stopped": no host_stopped was sent.
            await app.expectScreen("◌ stale", timeout: .seconds(6))
            let row = app.terminal.text.split(separator: "\n").first { $0.contains(name) }.map(String.init) ?? ""
            #expect(row.contains("◌ stale") && row.contains("(no heartbeat)"), "\(row)")
            #expect(!app.terminal.text.contains("■ stopped"))
            // Gone after the removal threshold; the others stay live.
            await app.expectScreen("Hosts (2)", timeout: .seconds(10))
            #expect(!app.terminal.text.contains(name))
            #expect(app.terminal.text.components(separatedBy: "● live").count - 1 == 2)
            #expect(app.counts?.hasPrefix("hosts 2") == true)
        }
    }
}
