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
        var best: (fold: Duration, frames: Duration, last: Duration)?
        for _ in 0..<3 {
            var dashboard = Dashboard(lattice: "default", server: "nats://127.0.0.1:4222", context: "bench")
            dashboard.timeZone = TimeZone(identifier: "UTC")!
            var app = AppState()
            var cache = ViewCache()
            let backend = MemoryBackend(size: FrameBenchmarkTests.size)
            var fold = Duration.zero, frames = Duration.zero, last = Duration.zero
            for batch in batches {
                fold += FrameBenchmarkTests.timed { _ = dashboard.apply(batch) }.cpu
                let now = batch.last!.at
                last = FrameBenchmarkTests.timed { FrameBenchmarkTests.frame(dashboard, app: &app, cache: &cache, backend: backend, now: now) }.cpu
                frames += last
            }
            #expect(dashboard.state.inventoriedHostCount == n)
            #expect(dashboard.state.links.count == 2 * n)
            if best.map({ fold + frames < $0.fold + $0.frames }) ?? true { best = (fold, frames, last) }
        }
        let ms = FrameBenchmarkTests.Figures.ms
        print("SYNC-BENCH \(n) hosts, \(batches.count) batches, a Hosts frame after each (thread CPU, best of 3): fold \(ms(best!.fold)) ms, frames \(ms(best!.frames)) ms, the last frame \(ms(best!.last)) ms")
    }
}
