import Foundation
import LatticeProtocol
import LatticeState
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What time travel's memory costs at 10,000 hosts (not a test: skipped unless `LATTICETOP_BENCH=1`;
/// issue #14 item 4). 10,000 hosts with 5 components and 2 providers each, a heartbeat per host
/// every 30 s spread over the interval and a health check per provider every 30 s, recorded into a
/// `LatticeTimeline` as the dashboard does (2,000 inputs folded a second), for
/// `LATTICETOP_BENCH_MINUTES` (default 10) simulated minutes. Prints the heap in use (after
/// `malloc_trim`) for the live model alone and for the timeline as it fills, and the time of jumps.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["LATTICETOP_BENCH"] == "1"))
struct TimelineMemoryBenchmark {
    static let hostCount = Int(ProcessInfo.processInfo.environment["LATTICETOP_BENCH_HOSTS"] ?? "") ?? 10_000
    static let minutes = Double(ProcessInfo.processInfo.environment["LATTICETOP_BENCH_MINUTES"] ?? "") ?? 10

    /// RSS in MiB after handing free pages back.
    static func residentMiB() -> Double {
        #if canImport(Glibc)
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
            typealias Trim = @convention(c) (Int) -> Int32
            _ = unsafeBitCast(symbol, to: Trim.self)(0)
        }
        #endif
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }

    /// One second of the lattice from `second` on: the heartbeats and health checks due in it.
    struct Lattice {
        let hosts: [String]
        let inventories: [HostInventory]
        let start = Date(timeIntervalSince1970: 1_748_779_200)

        init(count: Int) {
            let annotations = ["wasmcloud.dev/appspec": "scale-app", "wasmcloud.dev/managed-by": "wadm"]
            hosts = (0..<count).map { "NMEMORY" + String(repeating: "X", count: 43) + String(format: "%06d", $0) }
            inventories = hosts.enumerated().map { i, host in
                HostInventory(
                    components: (0..<5).map { ComponentDescription(id: "scale-component-\(i * 5 + $0)", imageRef: "ghcr.io/scale/component:0.1.0",
                                                                   name: "c\(i * 5 + $0)", annotations: annotations, maxInstances: 1) },
                    providers: (0..<2).map { ProviderDescription(id: "scale-provider-\(i * 2 + $0)", imageRef: "ghcr.io/scale/provider:0.1.0",
                                                                 name: "p\(i * 2 + $0)", annotations: annotations) },
                    hostID: host, friendlyName: "scale-host-\(i)", labels: ["hostcore.os": "linux", "zone": "a"],
                    version: "1.9.2", uptimeHuman: "", uptimeSeconds: 0)
            }
        }

        /// The inputs whose moments fall in `[t, t + 1)` seconds after the start.
        func second(_ t: Int) -> [LatticeInput] {
            var out: [LatticeInput] = []
            let n = hosts.count
            let perSecond = Double(n) / 30
            let first = Int((Double(t) * perSecond).rounded(.up)), end = Int((Double(t + 1) * perSecond).rounded(.up))
            for beat in first..<end {
                let i = beat % n
                let time = start + Double(beat) * 30 / Double(n)
                var inventory = inventories[i]
                inventory.uptimeSeconds = UInt64(time.timeIntervalSince(start))
                inventory.uptimeHuman = "\(inventory.uptimeSeconds)s"
                let beatEvent = LatticeEvent.make(.hostHeartbeat(inventory), source: hosts[i], time: time, id: UUID().uuidString.lowercased())
                out.append(.event(beatEvent, at: time + 0.01))
                for p in inventory.providers {
                    let health = LatticeEvent.make(.healthCheckStatus(HealthCheckEvent(hostID: hosts[i], providerID: p.id)),
                                                   source: hosts[i], time: time + 0.001, id: UUID().uuidString.lowercased())
                    out.append(.event(health, at: time + 0.011))
                }
            }
            return out
        }
    }

    @Test func timelineAtTenThousandHosts() {
        let lattice = Lattice(count: Self.hostCount)
        let before = Self.residentMiB()
        var live = LatticeState()
        // LATTICETOP_BENCH_BUDGET_MIB: the timeline's budget (default: the dashboard's 128 MiB).
        let budget = (Int(ProcessInfo.processInfo.environment["LATTICETOP_BENCH_BUDGET_MIB"] ?? "") ?? 128) << 20
        var timeline = LatticeTimeline(byteBudget: budget)
        let seconds = Int(Self.minutes * 60)
        var inputs = 0
        print("TIMELINE MEMORY: \(Self.hostCount) hosts (5 components, 2 providers each), heartbeats and health every 30 s, \(seconds) s")
        print(String(format: "  before anything             %8.1f MiB", before))
        print("  strides: LatticeInput \(MemoryLayout<LatticeInput>.stride), LatticeEvent \(MemoryLayout<LatticeEvent>.stride), "
              + "HostRecord \(MemoryLayout<HostRecord>.stride), ComponentRecord \(MemoryLayout<ComponentRecord>.stride), "
              + "ProviderRecord \(MemoryLayout<ProviderRecord>.stride), LinkRecord \(MemoryLayout<LinkRecord>.stride), HostInventory \(MemoryLayout<HostInventory>.stride)")
        var liveOnly: Double?
        for t in 0..<seconds {
            let batch = lattice.second(t)
            inputs += batch.count
            live.apply(contentsOf: batch)
            live.apply(.tick(lattice.start + Double(t + 1)))
            if t == 30 { liveOnly = Self.residentMiB() }
            if t < 31 { continue }
            timeline.record(contentsOf: batch)
            timeline.catchUp(maxInputs: 2_000)
            if (t + 1) % 60 == 0 || t == 30 {
                print(String(format: "  %5d s: %7d inputs, %6d kept, %6d unfolded, %3d snapshots  %8.1f MiB", t + 1, inputs, timeline.count,
                             timeline.unfolded, timeline.snapshotCount, Self.residentMiB()))
            }
        }
        #expect(live.hosts.count == Self.hostCount)
        if let liveOnly { print(String(format: "  the live model alone (t = 30 s, before the timeline starts): ~%.1f MiB", liveOnly - before)) }
        if let off = timeline.suspension {
            print("  time travel suspended: a state ~\(off.stateBytes >> 20) MiB estimated, budget \(off.byteBudget >> 20) MiB; \(timeline.forgotten) inputs not kept")
            return
        }
        print("  kept ~\(timeline.inputBytes >> 20) MiB of inputs and \(timeline.snapshotCount) states of ~\(timeline.stateBytes >> 20) MiB (estimated), spacing \(timeline.snapshotSpacing)")
        var rng = SplitMix64(seed: 3)
        var times: [Double] = []
        let first = timeline.first!, last = timeline.last!
        for _ in 0..<20 {
            let moment = first + Double.random(in: 0...last.timeIntervalSince(first), using: &rng)
            let t0 = ContinuousClock.now
            let state = timeline.state(at: moment)
            let d = t0.duration(to: .now)
            #expect(!state.hosts.isEmpty)
            times.append(Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
        }
        times.sort()
        print(String(format: "  20 jumps: median %.1f ms, max %.1f ms; after them %.1f MiB", times[times.count / 2], times.last!, Self.residentMiB()))
    }
}
