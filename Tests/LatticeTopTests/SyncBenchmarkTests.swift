import Foundation
import LatticeProtocol
import LatticeState
import TerminalUI
import Testing
@testable import LatticeTop

/// The UI thread's work for a first sync of 10,000 hosts (5 components and 2 providers each,
/// 20,000 links), as the app loop does it: the monitor's batches folded into the model
/// (`Dashboard.apply`: the pings, then the inventories, the `link.get` listing among them), and a
/// Hosts-pane frame after each batch. Thread CPU time, fold and frames apart. Runs only with
/// `LATTICETOP_BENCH=1` (release build; `Benchmarks/README.md`, "First full picture … `first11`").
@Suite struct SyncBenchmarkTests {
    static let base = FrameBenchmarkTests.base
    static let hosts = Int(ProcessInfo.processInfo.environment["LATTICETOP_BENCH_HOSTS"] ?? "") ?? 10_000

    static func hostID(_ h: Int) -> String { "N" + String(format: "SYNC%05d", h) + String(repeating: "Q", count: 46) }

    /// Host `h`'s ping reply and inventory, as the simulator's `--scale 5N,2N,2N` gives them.
    static func host(_ h: Int, of count: Int) -> (HostInfo, HostInventory) {
        let labels = ["hostcore.arch": "x86_64", "hostcore.os": "linux", "hostcore.osfamily": "unix", "zone": "zone-\(h % 4)"]
        let info = HostInfo(id: hostID(h), friendlyName: "sim-host-\(h)", labels: labels, lattice: "default", uptimeSeconds: 600,
                            uptimeHuman: "10m", version: "1.9.2", ctlHost: "nats://127.0.0.1:4222", rpcHost: "nats://127.0.0.1:4222")
        let components = (0..<5).map { k in
            let i = h + k * count
            return ComponentDescription(id: "scale-component-" + String(format: "%05d", i), imageRef: "ghcr.io/example/scale:0.1.\(i % 7)",
                                        name: "component \(i)", annotations: ["wasmcloud.dev/appspec": "scale-app-\(i / 10)"],
                                        maxInstances: 1)
        }
        let providers = (0..<2).map { k in
            let i = h + k * count
            return ProviderDescription(id: "scale-provider-" + String(format: "%05d", i), imageRef: "ghcr.io/example/provider:0.\(i % 3)",
                                       name: "provider \(i)", annotations: [:])
        }
        let inventory = HostInventory(components: components, providers: providers, hostID: hostID(h), friendlyName: "sim-host-\(h)",
                                      labels: labels, version: "1.9.2", uptimeHuman: "10m", uptimeSeconds: 600)
        return (info, inventory)
    }

    static func links(hosts count: Int) -> [Link] {
        (0..<(2 * count)).map { i in
            Link(sourceID: "scale-component-" + String(format: "%05d", i % (5 * count)),
                 target: "scale-provider-" + String(format: "%05d", i % (2 * count)), name: "default", witNamespace: "wasi",
                 witPackage: "keyvalue", interfaces: ["store"], sourceConfig: [], targetConfig: ["scale-config-\(i % 100)"])
        }
    }

    @Test(.enabled(if: FrameBenchmarkTests.benchEnabled, "set LATTICETOP_BENCH=1"))
    func firstSyncOf10000Hosts() {
        let best = Self.run(tickEvery: nil)
        let ms = FrameBenchmarkTests.Figures.ms
        print("SYNC-BENCH \(Self.hosts) hosts, \(best.batches) batches, a Hosts frame after each (thread CPU, best of 3): fold \(ms(best.fold)) ms, frames \(ms(best.frames)) ms, the last frame \(ms(best.last)) ms")
    }

    /// The same with the clock's tick as the loop gives it (once a second) while the sync streams
    /// in: a tick after every 10th batch (after the pings, after half the inventories, before the
    /// last batch), each finding every host the batches since the last one marked. The ticks'
    /// CPU counts in the fold and is also given apart.
    @Test(.enabled(if: FrameBenchmarkTests.benchEnabled, "set LATTICETOP_BENCH=1"))
    func firstSyncOf10000HostsWithTicks() {
        let best = Self.run(tickEvery: 10)
        let ms = FrameBenchmarkTests.Figures.ms
        print("SYNC-BENCH-TICKS \(Self.hosts) hosts, \(best.batches) batches, \(best.ticks) ticks, a Hosts frame after each batch (thread CPU, best of 3): fold \(ms(best.fold)) ms (ticks \(ms(best.tickCPU)) ms), frames \(ms(best.frames)) ms, the last frame \(ms(best.last)) ms")
    }

    struct Run {
        var batches = 0, ticks = 0
        var fold = Duration.zero, tickCPU = Duration.zero, frames = Duration.zero, last = Duration.zero
    }

    /// The best of 3 first syncs (least fold + frames); with `tickEvery`, a tick (at the batch's
    /// time) after every that many batches.
    static func run(tickEvery: Int?) -> Run {
        let n = Self.hosts
        let made = (0..<n).map { Self.host($0, of: n) }
        let listing = Self.links(hosts: n)
        // The batches as the monitor hands them over: pings 1,000 at a time, then inventories 500
        // at a time with the link listing after the first half.
        var batches: [[LatticeInput]] = [[.connection(.connected(server: "nats://127.0.0.1:4222"), at: Self.base),
                                          .syncStarted(id: 1, at: Self.base)]]
        var t = Self.base
        for start in stride(from: 0, to: n, by: 1_000) {
            t += 0.01
            batches.append(made[start..<min(n, start + 1_000)].map { .hostPinged($0.0, syncID: 1, at: t) })
        }
        for start in stride(from: 0, to: n, by: 500) {
            t += 0.02
            var batch: [LatticeInput] = made[start..<min(n, start + 500)].map { .inventory($0.1, syncID: 1, at: t) }
            if start == n / 2 { batch.append(.links(listing, syncID: 1, at: t)) }
            batches.append(batch)
        }
        var best: Run?
        for _ in 0..<3 {
            var dashboard = Dashboard(lattice: "default", server: "nats://127.0.0.1:4222", context: "bench")
            dashboard.timeZone = TimeZone(identifier: "UTC")!
            var app = AppState()
            var cache = ViewCache()
            let backend = MemoryBackend(size: FrameBenchmarkTests.size)
            var run = Run(batches: batches.count)
            for (b, batch) in batches.enumerated() {
                run.fold += FrameBenchmarkTests.timed { _ = dashboard.apply(batch) }.cpu
                let now = batch.last!.at
                if let tickEvery, (b + 1) % tickEvery == 0 {
                    let tick = FrameBenchmarkTests.timed { _ = dashboard.apply([.tick(now)]) }.cpu
                    run.fold += tick
                    run.tickCPU += tick
                    run.ticks += 1
                }
                run.last = FrameBenchmarkTests.timed { FrameBenchmarkTests.frame(dashboard, app: &app, cache: &cache, backend: backend, now: now) }.cpu
                run.frames += run.last
            }
            #expect(dashboard.state.inventoriedHostCount == n)
            #expect(dashboard.state.links.count == 2 * n)
            if best.map({ run.fold + run.frames < $0.fold + $0.frames }) ?? true { best = run }
        }
        return best!
    }
}
