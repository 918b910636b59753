import EmbeddedNATS
import Foundation
import LatticeClient
import LatticeMonitor
import LatticeProtocol
import LatticeSim
import LatticeState
import NATSKit
import TerminalUI
import Testing
@testable import LatticeTop

/// Scale (issue #7): `latticetop sim` as its own process simulating 100 and 1,000 hosts with 10
/// components, 2 providers and 20 links a host, on a real nats-server. Measured in the same run:
/// - connect → first full Hosts pane (every host listed with its inventory), against a raw NATS
///   client that only pings and asks each host for its inventory (the protocol's minimum);
/// - frames of the Hosts, Components, Providers and Links panes on that state;
/// - the real dashboard binary in tmux: RSS, and CPU over a quiet stretch (a 3-host lattice with
///   no traffic, and the 1,000-host one with its heartbeats and health checks).
/// Runs only with `LATTICETOP_BENCH=1` (Benchmarks/scale.sh, release build).
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["LATTICETOP_BENCH"] == "1", "set LATTICETOP_BENCH=1 (Benchmarks/scale.sh)"))
struct ScaleBenchmarkTests {
    static let hostCounts: [Int] = ProcessInfo.processInfo.environment["LATTICETOP_BENCH_HOSTS"]
        .map { $0.split(separator: ",").compactMap { Int($0) } } ?? [100, 1000]

    /// nats-server (8 MB max payload: a 20,000-link `link.get` reply is ~5 MB, as a real lattice of
    /// that size needs too) and the simulator as a process.
    final class ScaleLattice: @unchecked Sendable {
        let server: NATSServerProcess
        let sim: pid_t
        let hosts: Int
        let directory: URL

        init(hosts: Int, scale: Bool, heartbeat: Int = 30) async throws {
            self.hosts = hosts
            server = try NATSServerProcess(.init(config: "max_payload: 8MB\n", jetStream: true))
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("latticetop-scale-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let out = directory.appendingPathComponent("sim.out")
            var argv = [try GetCommandTests.binary().path, "sim", "--nats-url", server.url, "--hosts", String(hosts), "--rate", "0",
                        "--heartbeat-interval", String(heartbeat), "--health-interval", "30", "--no-wadm"]
            if scale { argv += ["--scale", "per-host"] }
            sim = try CleanSpawn.start(argv, environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                                                          "HOME": directory.path, "WASH_CONTEXT_DIR": "/nonexistent-latticetop"],
                                       stdout: out.path, stderr: directory.appendingPathComponent("sim.err").path)
            let deadline = ContinuousClock.now + .seconds(120)
            while ((try? String(contentsOf: out, encoding: .utf8)) ?? "").components(separatedBy: "\n  host ").count - 1 < hosts {
                guard CleanSpawn.isRunning(sim), ContinuousClock.now < deadline else {
                    stop()
                    throw TerminalTestFailure(description: "latticetop sim did not start \(hosts) hosts")
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            // Let the start-up events (tens of thousands at 1,000 hosts) drain before measuring.
            try await Task.sleep(for: .seconds(hosts >= 1000 ? 5 : 2))
        }

        func stop() {
            CleanSpawn.stop(sim)
            server.stop()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    /// The raw NATS baseline: connect, ping, ask every host that answers for its inventory,
    /// until `hosts` inventories are in.
    static func rawInventories(url: String, hosts: Int) async throws -> Duration {
        let clock = ContinuousClock()
        let start = clock.now
        let connection = try await NATSConnection.connect(NATSConnectionOptions(servers: [url], name: "raw-baseline"))
        defer { connection.close() }
        let subjects = CtlSubjects(lattice: "default")
        let pings = try connection.subscribe(connection.newInbox())
        let inventories = try connection.subscribe(connection.newInbox())
        try connection.publish(subjects.hostPing, payload: Data(), reply: pings.subject)
        var answered = 0
        let deadline = clock.now + .seconds(60)
        let askTask = Task {
            var asked = Set<String>()
            for await batch in pings {
                for m in batch {
                    let reply = try? JSONSerialization.jsonObject(with: m.data) as? [String: Any]
                    guard let id = (reply?["response"] as? [String: Any])?["id"] as? String, asked.insert(id).inserted else { continue }
                    try? connection.publish(subjects.hostGet(hostID: id), payload: Data(), reply: inventories.subject)
                }
                if asked.count >= hosts { return }
            }
        }
        while answered < hosts, clock.now < deadline, let batch = await inventories.nextBatch() {
            answered += batch.count
        }
        askTask.cancel()
        pings.unsubscribe()
        inventories.unsubscribe()
        try #require(answered >= hosts, "raw client: \(answered) of \(hosts) inventories")
        return clock.now - start
    }

    /// latticetop: connect, monitor, reducer and the Hosts pane view as the app builds them, until
    /// every host is listed with its inventory; then until every component and link is in.
    static func latticetopFirstFullHostsPane(url: String, hosts: Int, components: Int, links: Int)
        async throws -> (hostsPane: Duration, everything: Duration, dashboard: Dashboard, monitor: LatticeMonitor, connection: NATSConnection) {
        let clock = ContinuousClock()
        let start = clock.now
        let connection = try await NATSConnection.connect(NATSConnectionOptions(servers: [url], name: "latticetop-scale"))
        let monitor = LatticeMonitor(client: LatticeClient(connection: connection, lattice: "default"))
        try await monitor.start()
        var dashboard = Dashboard(lattice: "default", server: url, context: nil)
        var hostsPane: Duration?
        let deadline = clock.now + .seconds(120)
        while clock.now < deadline {
            let inputs = monitor.inputs.drain()
            if !inputs.isEmpty { dashboard.apply(inputs) }
            let state = dashboard.state
            if hostsPane == nil, state.hosts.count == hosts, state.hosts.values.allSatisfy({ $0.visibleComponents.count == 10 }) {
                // What the app would draw now: the pane with every host and its counts.
                let view = dashboard.view(for: .hosts, drill: nil, now: Date(), paused: false)
                if view.rows.count == hosts, view.rows.allSatisfy({ $0.cells[6] == "10" }) { hostsPane = clock.now - start }
            }
            if hostsPane != nil, state.hosts.values.reduce(0, { $0 + $1.visibleComponents.count }) == components, state.links.count == links {
                return (hostsPane!, clock.now - start, dashboard, monitor, connection)
            }
            try await Task.sleep(for: .milliseconds(2))
        }
        await monitor.stop()
        connection.close()
        throw TerminalTestFailure(description: """
            latticetop: after 120 s \(dashboard.state.hosts.count) hosts, \(dashboard.state.allComponents.count) components, \
            \(dashboard.state.links.count) links
            """)
    }

    /// Median and p99 of frames of `pane` on `dashboard` (view cached) and after a state change
    /// (a tick: the view is rebuilt).
    static func frames(_ dashboard: Dashboard, pane: PaneID) -> (steady: FrameBenchmarkTests.Figures, rebuilt: FrameBenchmarkTests.Figures, build: FrameBenchmarkTests.Figures) {
        var dashboard = dashboard
        var app = AppState()
        app.pane = pane
        let backend = MemoryBackend(size: FrameBenchmarkTests.size)
        var cache = ViewCache()
        var now = Date()
        let rows = dashboard.view(for: pane, drill: nil, now: now, paused: false).rows.count
        var rebuilt: [Duration] = []
        for i in 0..<60 {
            now += 1
            dashboard.apply([.tick(now)])
            FrameBenchmarkTests.move(&app, by: 1, rowCount: rows)
            let t = ContinuousClock().measure { FrameBenchmarkTests.frame(dashboard, app: &app, cache: &cache, backend: backend, now: now) }
            if i >= 10 { rebuilt.append(t) }
        }
        let build = FrameBenchmarkTests.measure(frames: 20, warmup: 2) { i in
            blackHole(dashboard.view(for: pane, drill: nil, now: now.addingTimeInterval(Double(i)), paused: false))
        }
        let steady = FrameBenchmarkTests.measure(frames: 100, warmup: 10) { i in
            FrameBenchmarkTests.move(&app, by: i % 2 == 0 ? 1 : -1, rowCount: rows)
            FrameBenchmarkTests.frame(dashboard, app: &app, cache: &cache, backend: backend, now: now)
        }
        return (steady, FrameBenchmarkTests.Figures(samples: rebuilt), build)
    }

    static func ms(_ d: Duration) -> String { FrameBenchmarkTests.Figures.ms(d) }

    @Test func connectToFirstFullHostsPaneAndFrames() async throws {
        for hosts in Self.hostCounts {
            let lattice = try await ScaleLattice(hosts: hosts, scale: true)
            defer { lattice.stop() }
            let workload = ScaleWorkload.perHost(hosts)
            // Alternate raw and latticetop runs, best of three each (the machine is shared).
            var raw: [Duration] = [], pane: [Duration] = [], all: [Duration] = []
            var last: Dashboard?
            for _ in 0..<3 {
                raw.append(try await Self.rawInventories(url: lattice.server.url, hosts: hosts))
                let r = try await Self.latticetopFirstFullHostsPane(url: lattice.server.url, hosts: hosts, components: workload.components,
                                                                    links: workload.links)
                pane.append(r.hostsPane)
                all.append(r.everything)
                last = r.dashboard
                await r.monitor.stop()
                r.connection.close()
            }
            let bestRaw = raw.min()!, bestPane = pane.min()!, bestAll = all.min()!
            func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
            print(String(format: "SCALE-BENCH %d hosts: raw ping+inventories %@ ms; latticetop first full Hosts pane %@ ms (%.2f× raw); every component and link %@ ms (runs: raw %@; pane %@)",
                         hosts, Self.ms(bestRaw), Self.ms(bestPane), seconds(bestPane) / seconds(bestRaw), Self.ms(bestAll),
                         raw.map(Self.ms).joined(separator: "/"), pane.map(Self.ms).joined(separator: "/")))
            let dashboard = try #require(last)
            for pane in [PaneID.hosts, .components, .providers, .links] {
                let rows = dashboard.view(for: pane, drill: nil, now: Date(), paused: false).rows.count
                let (steady, rebuilt, build) = Self.frames(dashboard, pane: pane)
                print("SCALE-BENCH \(hosts) hosts, \(pane.title) pane (\(rows) rows) 200×60: frame \(steady); frame after a change, as the loop draws it \(rebuilt); the view rebuilt alone \(build)")
            }
        }
    }

    /// The real binary in tmux: RSS once the lattice is shown, and CPU over 20 quiet seconds.
    @Test func dashboardRSSAndIdleCPU() async throws {
        let runs: [(Int, Bool)] = [(3, false)] + Self.hostCounts.filter({ $0 >= 1000 }).map({ ($0, true) })
        for (hosts, scale) in runs {
            let lattice = try await ScaleLattice(hosts: hosts, scale: scale)
            defer { lattice.stop() }
            let terminal = try TmuxTerminal(width: 200, height: 60)
            defer { terminal.kill() }
            let binary = try GetCommandTests.binary()
            try terminal.start("exec '\(binary.path)' --nats-url '\(lattice.server.url)'")
            try await terminal.waitFor("Hosts (\(hosts))", timeout: .seconds(60))
            let pid = try #require(Int32(try terminal.tmux("display-message", "-p", "-t", TmuxTerminal.session, "#{pane_pid}")
                .trimmingCharacters(in: .whitespacesAndNewlines)))
            try await Task.sleep(for: .seconds(5))  // start-up done (syncs, first frames)
            let ticks = sysconf(Int32(_SC_CLK_TCK))
            let before = Self.cpuTicks(pid), wallBefore = ContinuousClock.now
            try await Task.sleep(for: .seconds(20))
            let after = Self.cpuTicks(pid), wall = ContinuousClock.now - wallBefore
            let seconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
            let cpu = Double(after - before) / Double(ticks) / seconds * 100
            let rss = Self.rssKiB(pid)
            print(String(format: "SCALE-BENCH dashboard on %d hosts%@: RSS %.1f MiB, CPU %.2f %% over %.0f s (%d ticks)",
                         hosts, scale ? " (10 components, 2 providers, 20 links a host; heartbeats and health checks every 30 s)" : " (demo workload, no traffic, heartbeats every 30 s)",
                         Double(rss) / 1024, cpu, seconds, after - before))
        }
    }

    static func cpuTicks(_ pid: pid_t) -> Int {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command: state is field 3 of the file, utime 14 and stime 15 (1-based).
        return (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
    }

    static func rssKiB(_ pid: pid_t) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
}
