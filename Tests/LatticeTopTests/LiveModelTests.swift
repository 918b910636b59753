import EmbeddedNATS
import Foundation
import LatticeClient
import LatticeMonitor
import LatticeProtocol
import LatticeSim
import LatticeState
import NATSKit
import Testing

/// Simulator + subscription actor + reducer on a real nats-server: each scripted fault shows in
/// the state within one heartbeat/health interval of the simulator's settings (plus the model's
/// threshold, set from the same settings).
@Suite(.serialized, .timeLimit(.minutes(2)))
struct LiveModelTests {
    final class Model: @unchecked Sendable {
        private let lock = NSLock()
        private var state: LatticeState
        private var task: Task<Void, Never>?
        private var ticker: Task<Void, Never>?

        init(_ monitor: LatticeMonitor, configuration: LatticeStateConfiguration) {
            state = LatticeState(configuration: configuration)
            let inputs = monitor.inputs
            task = Task { [weak self] in
                while let batch = await inputs.next() { self?.lock.withLock { self?.state.apply(contentsOf: batch) } }
            }
            ticker = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(200))
                    inputs.push(.tick(Date()))
                }
            }
        }

        var current: LatticeState { lock.withLock { state } }
        func stop() { task?.cancel(); ticker?.cancel() }
    }

    /// Runs `body`, then stops `monitor` (awaited), also when `body` throws.
    static func stopping(_ monitor: LatticeMonitor, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            await monitor.stop()
            throw error
        }
        await monitor.stop()
    }

    @Test func everyScriptedFaultShowsInTheState() async throws {
        // Simulator: heartbeats and health probes every second; the model calls a host stale
        // after 2.5 s and a provider silent after 2.5 s.
        var config = SimulatorConfiguration.fast()
        config.heartbeatInterval = .seconds(1)
        config.healthCheckInterval = .seconds(1)
        config.firstHealthCheckDelay = .milliseconds(300)
        try await LatticeFixture.using(config, startSimulator: false) { f in
            let monitor = LatticeMonitor(client: f.client)
            try await monitor.start()
            let model = Model(monitor, configuration: LatticeStateConfiguration(hostStaleAfter: 2.5, providerHealthStaleAfter: 2.5))
            defer { model.stop() }
            try await Self.stopping(monitor) {
                // The model sees the lattice from its first event on (so it sees the first health checks pass).
                try await f.simulator.start()
                await monitor.resync()

                let simHosts = Set(await f.simulator.hostIDs)
                #expect(await eventually { Set(model.current.hosts.keys) == simHosts && model.current.hosts.values.allSatisfy { $0.liveness.isLive } })
                #expect(await eventually { model.current.allProviders.filter { $0.health.isHealthy }.count == 4 },
                        "\(model.current.allProviders.map { "\($0.id): \($0.status) \($0.health)" })")
                #expect(model.current.linkReports.count == 4)
                #expect(model.current.configs.count == 4)
                #expect(model.current.applications.count == 2)

                // Failing health: passed, then failed → unhealthy within one health interval.
                await f.simulator.trigger(.failingHealth)
                var started = ContinuousClock.now
                #expect(await eventually(timeout: .seconds(5)) {
                    model.current.allProviders.contains { if case .unhealthy = $0.health { return $0.id == "nats-messaging" } else { return false } }
                })
                #expect(ContinuousClock.now - started < .seconds(3))

                // Crash: the provider goes silent → stale after the threshold, with its last verdict kept.
                await f.simulator.trigger(.providerCrash)
                started = ContinuousClock.now
                #expect(await eventually(timeout: .seconds(8)) {
                    model.current.allProviders.contains { if case .stale = $0.health { return $0.id == "rust_http_kv-kvredis" } else { return false } }
                })
                #expect(ContinuousClock.now - started < .seconds(5))

                // Failed start: visible with its error.
                await f.simulator.trigger(.failedStart)
                #expect(await eventually(timeout: .seconds(3)) {
                    model.current.allProviders.contains {
                        if case .failedToStart(let error, _) = $0.status { return $0.id == "missing-provider" && error.contains("manifest unknown") }
                        return false
                    }
                })

                // Vanished host: stale after the threshold (never "stopped": no host_stopped was sent).
                await f.simulator.trigger(.vanishingHost)
                let gone = try #require(Set(await f.simulator.hostIDs).subtracting(await f.simulator.runningHostIDs).first)
                started = ContinuousClock.now
                #expect(await eventually(timeout: .seconds(8)) {
                    if case .stale? = model.current.hosts[gone]?.liveness { return true }
                    return false
                })
                #expect(ContinuousClock.now - started < .seconds(5))
                #expect(model.current.hosts[gone]?.liveness.isStopped == false)
                // The others stay live.
                #expect(model.current.hosts.filter { $0.key != gone }.values.allSatisfy { $0.liveness.isLive })
            }
        }
    }

    @Test func eventsCommandShowsTheFaultsAsTheyHappen() async throws {
        let server = try NATSServerProcess(.init(jetStream: true))
        defer { server.stop() }
        let sim = Process()
        sim.executableURL = try GetCommandTests.binary()
        sim.arguments = ["sim", "--nats-url", server.url, "--heartbeat-interval", "1", "--health-interval", "1",
                         "--fault", "all", "--fault-delay", "3", "--rate", "0"]
        sim.standardOutput = FileHandle.nullDevice
        sim.standardError = FileHandle.nullDevice
        let events = Process()
        events.executableURL = try GetCommandTests.binary()
        events.arguments = ["events", "--nats-url", server.url, "--stale-after", "2.5", "--health-stale-after", "2.5", "--no-heartbeats"]
        let out = Pipe()
        events.standardOutput = out
        events.standardError = FileHandle.nullDevice
        try events.run()
        defer { if events.isRunning { events.terminate() } }
        try await Task.sleep(for: .milliseconds(500))
        try sim.run()
        defer { if sim.isRunning { sim.terminate() } }

        var text = ""
        let wanted = ["FAILED TO START", "UNHEALTHY", "SILENT", "STALE", "host_started", "NEVER reported healthy"]
        let deadline = ContinuousClock.now + .seconds(25)
        let handle = out.fileHandleForReading
        while ContinuousClock.now < deadline, !wanted.allSatisfy({ text.localizedCaseInsensitiveContains($0) }) {
            let chunk = await Task.detached { handle.availableData }.value
            text += String(decoding: chunk, as: UTF8.self)
        }
        events.terminate()
        sim.terminate()
        for w in wanted { #expect(text.localizedCaseInsensitiveContains(w), "missing \(w) in:\n\(text.suffix(3000))") }
    }
}
