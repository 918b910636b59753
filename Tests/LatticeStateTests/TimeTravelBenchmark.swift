import Foundation
import LatticeProtocol
import LatticeState
import Testing

/// Time travel on a recorded day (not a test: skipped unless `LATTICETOP_BENCH=1`; run
/// `Benchmarks/timetravel.sh`). 24 h of a 100-host lattice — a heartbeat per host every 30 s,
/// four components and two providers each, and a change every 2 s somewhere (health, scale,
/// provider restarts) — recorded into a `LatticeTimeline`, then jumps to random moments. Issue
/// #13's target: rebuilding a moment takes ≤ 300 ms. Baseline in the same process: folding the
/// whole day from scratch.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["LATTICETOP_BENCH"] == "1"))
struct TimeTravelBenchmark {
    static let hostCount = 100
    static let day: TimeInterval = 24 * 3600

    static func recordedDay() -> [LatticeInput] {
        var rng = SplitMix64(seed: 7)
        let hosts = (0..<hostCount).map { "NTRAVEL" + String(repeating: "X", count: 43) + String(format: "%06d", $0) }
        let annotations = ["wasmcloud.dev/appspec": "shop", "wasmcloud.dev/managed-by": "wadm"]
        let start = Date(timeIntervalSince1970: 1_748_779_200)
        var inputs: [LatticeInput] = []
        func event(_ payload: LatticeEventPayload, _ host: String, _ t: TimeInterval) {
            let date = start + t
            let e = LatticeEvent.make(payload, source: host, time: date, id: UUID().uuidString.lowercased())
            inputs.append(.event(e, at: date + 0.05))
        }
        var t: TimeInterval = 0
        var nextChange: TimeInterval = 0
        var beat = 0
        while t < day {
            // Heartbeats: 100 hosts every 30 s, spread evenly.
            let host = hosts[beat % hostCount]
            let inventory = HostInventory(
                components: (0..<4).map { ComponentDescription(id: "component-\($0)", imageRef: "ghcr.io/bench/c\($0):1.0", annotations: annotations, maxInstances: 2) },
                providers: (0..<2).map { ProviderDescription(id: "provider-\($0)", imageRef: "ghcr.io/bench/p\($0):1.0", name: "p\($0)", annotations: annotations) },
                hostID: host, friendlyName: "travel-\(beat % hostCount)", labels: ["hostcore.os": "linux", "zone": "a"],
                version: "1.9.2", uptimeHuman: "\(Int(t))s", uptimeSeconds: UInt64(t))
            event(.hostHeartbeat(inventory), host, t)
            while nextChange <= t {
                let h = hosts[Int.random(in: 0..<hostCount, using: &rng)]
                let provider = "provider-\(Int.random(in: 0..<2, using: &rng))"
                switch Int.random(in: 0..<10, using: &rng) {
                case 0...4: event(.healthCheckStatus(HealthCheckEvent(hostID: h, providerID: provider)), h, nextChange)
                case 5: event(.healthCheckFailed(HealthCheckEvent(hostID: h, providerID: provider)), h, nextChange)
                case 6, 7:
                    event(.componentScaled(ComponentScaledEvent(annotations: annotations, hostID: h, imageRef: "ghcr.io/bench/c1:1.0",
                                                                maxInstances: UInt32(Int.random(in: 1...4, using: &rng)), componentID: "component-1")),
                          h, nextChange)
                case 8: event(.providerStopped(ProviderStoppedEvent(hostID: h, providerID: provider)), h, nextChange)
                default:
                    event(.providerStarted(ProviderStartedEvent(hostID: h, imageRef: "ghcr.io/bench/p1:1.0", providerID: provider, annotations: annotations)),
                          h, nextChange)
                }
                nextChange += 2
            }
            beat += 1
            t = Double(beat) * 30 / Double(hostCount)
        }
        return inputs
    }

    static func measure(_ body: () -> Void) -> (cpu: Double, wall: Double) {
        let wall0 = ContinuousClock.now, cpu0 = ReducerBenchmark.threadCPUSeconds()
        body()
        let wall = ContinuousClock.now - wall0
        return (ReducerBenchmark.threadCPUSeconds() - cpu0, Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18)
    }

    @Test func jumpsThroughARecordedDay() {
        let inputs = Self.recordedDay()
        let interval = ProcessInfo.processInfo.environment["LATTICETOP_BENCH_SNAPSHOT_EVERY"].flatMap(Int.init) ?? 2_000
        // The whole day is kept, unless LATTICETOP_BENCH_BUDGET_MIB sets the budget (the dashboard's
        // default, 128 MiB, keeps the last ~8 h of it, in fewer snapshots).
        let budget = ProcessInfo.processInfo.environment["LATTICETOP_BENCH_BUDGET_MIB"].flatMap(Int.init).map { $0 << 20 } ?? Int.max / 4
        var timeline = LatticeTimeline(snapshotInterval: interval, limit: inputs.count, byteBudget: budget)
        let record = Self.measure { timeline.record(contentsOf: inputs) }
        // What the app does a little at a time while idle (or the first jump does at once).
        let catchUp = Self.measure { timeline.catchUp(maxInputs: .max) }
        var whole = LatticeState()
        let fold = Self.measure { whole.apply(contentsOf: inputs) }
        #expect(whole.hosts.count == Self.hostCount)

        var rng = SplitMix64(seed: 11)
        let start = timeline.first!, end = timeline.last!
        var jumps: [(cpu: Double, wall: Double)] = []
        var hostsSeen = 0
        for _ in 0..<200 {
            let moment = start + Double.random(in: 0...end.timeIntervalSince(start), using: &rng)
            jumps.append(Self.measure { hostsSeen += timeline.state(at: moment).hosts.count })
        }
        #expect(hostsSeen > 0)
        let wall = jumps.map(\.wall).sorted(), cpu = jumps.map(\.cpu).sorted()
        func ms(_ s: Double) -> String { String(format: "%.2f ms", s * 1000) }
        print("TIMETRAVEL BENCHMARK: 24 h of a \(Self.hostCount)-host lattice, \(inputs.count) recorded inputs, snapshot every \(interval)")
        print("  record the day         \(ms(record.wall)) wall, \(ms(record.cpu)) CPU (\(String(format: "%.2f", record.cpu / Double(inputs.count) * 1e6)) µs per input)")
        print("  fold it, with snapshots \(ms(catchUp.wall)) wall, \(ms(catchUp.cpu)) CPU")
        print("  baseline: fold the day \(ms(fold.wall)) wall, \(ms(fold.cpu)) CPU")
        print("  200 random jumps       median \(ms(wall[wall.count / 2])) wall (\(ms(cpu[cpu.count / 2])) CPU), p99 \(ms(wall[wall.count * 99 / 100])), max \(ms(wall.last!)) wall (target ≤ 300 ms)")
        print("  kept: \(timeline.count) inputs (\(timeline.forgotten) forgotten), spacing \(timeline.snapshotSpacing), ~\(timeline.inputBytes >> 20) MiB estimated; \(timeline.snapshotCount) states of ~\(timeline.stateBytes >> 10) KiB estimated each")
        print("  jump / whole fold = \(String(format: "%.4f", cpu[cpu.count / 2] / fold.cpu))x (median, CPU)")
    }
}
