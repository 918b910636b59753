import Foundation
import LatticeProtocol
import LatticeState
import TerminalUI
import Testing
@testable import LatticeTop

/// A full frame of the Components pane with 10,000 rows on a 200×60 screen: the pane's view,
/// filter/sort, `Screen.render` and `MemoryBackend.present`. The timing runs only with
/// `LATTICETOP_BENCH=1` (see `Benchmarks/frame.sh`, release build); the diff tests always run.
@Suite struct FrameBenchmarkTests {
    static let size = Size(width: 200, height: 60)
    static let base = Date(timeIntervalSince1970: 1_748_779_200)  // 2025-06-01T12:00:00Z

    /// `hosts` 1.x hosts with `perHost` components each, all reported by inventory at `base`.
    static func lattice(hosts: Int, perHost: Int) -> Dashboard {
        var inputs: [LatticeInput] = [.connection(.connected(server: "nats://127.0.0.1:4222"), at: base), .syncStarted(id: 1, at: base)]
        for h in 0..<hosts {
            let hostID = "N" + String(format: "BENCH%04d", h) + String(repeating: "X", count: 46)
            let components = (0..<perHost).map { c in
                let app = "app-\((h * perHost + c) % 40)"
                return ComponentDescription(
                    id: "\(app)-component-\(String(format: "%05d", h * perHost + c))",
                    imageRef: "ghcr.io/example/\(app)/component:\(c % 7).\(h % 5).0", name: c % 3 == 0 ? "Component \(c)" : nil,
                    annotations: ["wasmcloud.dev/appspec": app, "wasmcloud.dev/managed-by": "wadm"], maxInstances: UInt32(1 + c % 16))
            }
            let labels = ["hostcore.arch": "x86_64", "hostcore.os": "linux", "hostcore.osfamily": "unix", "zone": "zone-\(h % 4)"]
            inputs.append(.inventory(HostInventory(components: components, providers: [], hostID: hostID, friendlyName: "bench-host-\(h)",
                                                   labels: labels, version: "1.9.2", uptimeHuman: "", uptimeSeconds: 3600),
                                     syncID: 1, at: base.addingTimeInterval(0.5)))
        }
        inputs.append(.tick(base.addingTimeInterval(10)))
        var dashboard = Dashboard(lattice: "default", server: "nats://127.0.0.1:4222", context: "bench")
        dashboard.timeZone = TimeZone(identifier: "UTC")!
        dashboard.apply(inputs)
        return dashboard
    }

    /// One frame as the app loop draws it (the view from the loop's cache, at the instant `at`).
    static func frame(_ dashboard: Dashboard, app: inout AppState, cache: inout ViewCache, backend: MemoryBackend, now: Date,
                      at instant: ContinuousClock.Instant = .now) {
        let header = dashboard.header(now: now, counts: cache.headerCounts(dashboard))
        let key = ViewCache.Key(app: app, dashboard: dashboard, spy: nil, now: now)
        let view = cache.view(for: key, model: dashboard, now: now, filter: app.filters[app.pane], sort: app.sorts[app.pane], at: instant) {
            [app] in dashboard.view(for: app.pane, drill: app.drill, now: now, paused: false)
        }
        app.reconcileSelection(view, visibleRows: Screen.visibleRows(size: size, banner: header.banner != nil))
        backend.present(Screen.render(app: app, header: header, view: view, size: size, theme: .default, now: now))
    }

    /// `count` links from the components to the providers of `dashboard`'s hosts (two of every
    /// ten to a target that runs nowhere, one of every ten naming a config that does not exist),
    /// listed by one `link.get`.
    static func withLinks(_ dashboard: inout Dashboard, count: Int, at: Date) {
        let components = dashboard.state.allComponents.map(\.id)
        let links = (0..<count).map { i in
            Link(sourceID: components[i % components.count], target: i % 10 < 2 ? "ghost-provider-\(i % 50)" : "provider-\(i % 20)",
                 name: "link-\(i / components.count)", witNamespace: "wasi", witPackage: i % 2 == 0 ? "keyvalue" : "http",
                 interfaces: ["store"], sourceConfig: i % 10 == 5 ? ["missing-\(i % 7)"] : [], targetConfig: [])
        }
        dashboard.apply([.configs([:], syncID: 9, at: at), .links(links, syncID: 9, at: at)])
    }

    /// Moves the selection as the arrow keys do (the selected row's ID follows).
    static func move(_ app: inout AppState, by delta: Int, rowCount: Int) {
        app.tables[app.pane, default: TableState(selected: 0)].moveSelection(by: delta, rowCount: rowCount,
                                                                            visibleRows: Screen.visibleRows(size: size, banner: false))
        app.selectedIDs[app.pane] = nil
    }

    struct Figures: CustomStringConvertible {
        var samples: [Duration]
        var median: Duration { sorted[sorted.count / 2] }
        var p99: Duration { sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.99).rounded(.up)) - 1)] }
        var max: Duration { sorted.last! }
        var sorted: [Duration] { samples.sorted() }
        var description: String { "median \(Self.ms(median)) ms, p99 \(Self.ms(p99)) ms, max \(Self.ms(max)) ms (\(samples.count) frames)" }
        static func ms(_ d: Duration) -> String {
            let (s, atto) = d.components
            return String(format: "%.3f", Double(s) * 1000 + Double(atto) / 1e15)
        }
    }

    /// The CPU time of this thread (what a frame costs when the machine's other load takes
    /// turns on the cores: wall time then includes waiting for one).
    static func threadCPU() -> Duration {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return .seconds(t.tv_sec) + .nanoseconds(t.tv_nsec)
    }

    /// Wall and CPU time of `body`.
    static func timed(_ body: () -> Void) -> (wall: Duration, cpu: Duration) {
        let cpu = threadCPU(), start = ContinuousClock.now
        body()
        return (ContinuousClock.now - start, threadCPU() - cpu)
    }

    static func measure(frames: Int = 200, warmup: Int = 20, _ body: (Int) -> Void) -> Figures {
        let clock = ContinuousClock()
        for i in 0..<warmup { body(-1 - i) }
        var samples: [Duration] = []
        samples.reserveCapacity(frames)
        for i in 0..<frames { samples.append(clock.measure { body(i) }) }
        return Figures(samples: samples)
    }

    // MARK: - The benchmark (LATTICETOP_BENCH=1)

    static let benchEnabled = ProcessInfo.processInfo.environment["LATTICETOP_BENCH"] == "1"

    /// Frames where every frame follows a real change of one record (`change(i)` applied before
    /// frame `i`; only the frame is timed, not the reducer), 33 ms of clock apart.
    static func framesAfterChanges(_ dashboard: inout Dashboard, app: inout AppState, frames: Int = 600, warmup: Int = 30,
                                   change: (Int, Date) -> LatticeInput) -> WallAndCPU {
        let backend = MemoryBackend(size: size)
        var cache = ViewCache()
        var now = base.addingTimeInterval(20)
        frame(dashboard, app: &app, cache: &cache, backend: backend, now: now)
        var samples: [(wall: Duration, cpu: Duration)] = []
        for i in 0..<(warmup + frames) {
            now += 0.033
            dashboard.apply([change(i, now)])
            let t = timed { frame(dashboard, app: &app, cache: &cache, backend: backend, now: now) }
            if i >= warmup { samples.append(t) }
        }
        #expect(cache.builds == 1, "one build, then only incremental updates")
        return WallAndCPU(wall: Figures(samples: samples.map(\.wall)), cpu: Figures(samples: samples.map(\.cpu)))
    }

    struct WallAndCPU: CustomStringConvertible {
        var wall, cpu: Figures
        var description: String { "wall \(wall); CPU \(cpu)" }
    }

    /// Component `i` of `dashboard` scaled to a new count, as a `component_scaled` event.
    static func scaleOne(_ components: [ComponentRecord], _ i: Int, at: Date) -> LatticeInput {
        let c = components[(i * 7919) % components.count]
        return .event(LatticeEvent.make(.componentScaled(ComponentScaledEvent(annotations: c.annotations, hostID: c.hostID, imageRef: c.imageRef,
                                                                             maxInstances: UInt32(20 + i % 50), componentID: c.id)),
                                        source: c.hostID, time: at), at: at)
    }

    @Test(.enabled(if: benchEnabled, "set LATTICETOP_BENCH=1 (Benchmarks/frame.sh)"))
    func componentsPaneWith10000Rows() {
        let setupStart = ContinuousClock.now
        var dashboard = Self.lattice(hosts: 100, perHost: 100)
        let setup = ContinuousClock.now - setupStart
        #expect(dashboard.state.allComponents.count == 10_000)
        var app = AppState()
        app.pane = .components

        // Baselines in the same process: a blank 200×60 canvas, and a whole frame of an empty pane.
        let blank = Self.measure { _ in
            var canvas = Canvas(size: Self.size, style: Theme.default[.normal])
            canvas.fill(Rect(x: 0, y: 0, width: Self.size.width, height: Self.size.height), style: Theme.default[.normal])
            blackHole(canvas)
        }
        let empty = Self.lattice(hosts: 0, perHost: 0)
        var emptyApp = AppState()
        emptyApp.pane = .components
        let emptyBackend = MemoryBackend(size: Self.size)
        var emptyCache = ViewCache()
        let emptyFrame = Self.measure(frames: 600, warmup: 30) { i in
            Self.frame(empty, app: &emptyApp, cache: &emptyCache, backend: emptyBackend, now: Self.base.addingTimeInterval(20 + Double(i)))
        }

        // Every frame after a real change: one component scaled (a new count), 33 ms apart.
        let components = dashboard.state.allComponents
        let changed = Self.framesAfterChanges(&dashboard, app: &app) { i, at in Self.scaleOne(components, i, at: at) }
        // The same with the pane sorted by STATE, going down (each change moves its row).
        var sortedApp = AppState()
        sortedApp.pane = .components
        sortedApp.sorts[.components] = AppState.Sort(column: 3, ascending: false)
        let changedSorted = Self.framesAfterChanges(&dashboard, app: &sortedApp) { i, at in Self.scaleOne(components, i + 10_000, at: at) }
        // The full build (what every change cost before: now only the first frame of the pane).
        let now = dashboard.state.now
        let rebuild = Self.measure(frames: 30, warmup: 3) { i in
            blackHole(dashboard.view(for: .components, drill: nil, now: now.addingTimeInterval(Double(i)), paused: false))
        }
        // Frames while nothing changed (the app draws these when a key moves the selection).
        let backend = MemoryBackend(size: Self.size)
        var cache = ViewCache()
        Self.frame(dashboard, app: &app, cache: &cache, backend: backend, now: now)
        let cellsBefore = backend.cellsWritten
        let steady = Self.measure { i in
            Self.move(&app, by: i % 2 == 0 ? 1 : -1, rowCount: 10_000)
            Self.frame(dashboard, app: &app, cache: &cache, backend: backend, now: now)
        }
        let steadyCells = Double(backend.cellsWritten - cellsBefore) / 220
        let idleBytes = backend.bytesWritten
        Self.frame(dashboard, app: &app, cache: &cache, backend: backend, now: now)

        print("""
            FRAME-BENCH setup: 100 hosts × 100 components = 10,000 rows, built in \(Figures.ms(setup)) ms
            FRAME-BENCH baseline blank canvas 200×60 + fill: \(blank)
            FRAME-BENCH baseline empty Components pane, whole frame: \(emptyFrame)
            FRAME-BENCH 10k rows, one component scaled before every frame (incremental): \(changed)
            FRAME-BENCH 10k rows sorted by STATE ↓, one component scaled before every frame: \(changedSorted)
            FRAME-BENCH 10k rows, the pane built from scratch alone (first frame of the pane): \(rebuild)
            FRAME-BENCH 10k rows, nothing changed but the selection: \(steady), \(String(format: "%.0f", steadyCells)) cells written per frame
            FRAME-BENCH 10k rows, identical frame: \(backend.bytesWritten - idleBytes) bytes written
            """)
        #expect(backend.bytesWritten == idleBytes)
    }

    @Test(.enabled(if: benchEnabled, "set LATTICETOP_BENCH=1 (Benchmarks/frame.sh)"))
    func linksPaneWith20000Links() {
        var dashboard = Self.lattice(hosts: 100, perHost: 20)
        let setupStart = ContinuousClock.now
        Self.withLinks(&dashboard, count: 20_000, at: Self.base.addingTimeInterval(5))
        let setup = ContinuousClock.now - setupStart
        #expect(dashboard.state.linkReports.count == 20_000)
        var emptyApp = AppState()
        emptyApp.pane = .links
        let empty = Self.lattice(hosts: 0, perHost: 0)
        let emptyBackend = MemoryBackend(size: Self.size)
        var emptyCache = ViewCache()
        let emptyFrame = Self.measure(frames: 600, warmup: 30) { i in
            Self.frame(empty, app: &emptyApp, cache: &emptyCache, backend: emptyBackend, now: Self.base.addingTimeInterval(20 + Double(i)))
        }
        // Every frame after a real change: one link put (a new one: a row and its findings).
        let components = dashboard.state.allComponents.map(\.id)
        var app = AppState()
        app.pane = .links
        let changed = Self.framesAfterChanges(&dashboard, app: &app) { i, at in
            let link = Link(sourceID: components[(i * 31) % components.count], target: i % 3 == 0 ? "nowhere" : "provider-\(i % 20)",
                            name: "put-\(i)", witNamespace: "wasi", witPackage: "keyvalue", interfaces: ["store"])
            return .event(LatticeEvent.make(.linkdefSet(link), source: "NBENCH", time: at), at: at)
        }
        // A component stops running everywhere: its links' findings change (one scale to 0 a frame).
        let stops = dashboard.state.allComponents
        let stopped = Self.framesAfterChanges(&dashboard, app: &app, frames: 200, warmup: 10) { i, at in
            let c = stops[(i * 13) % stops.count]
            return .event(LatticeEvent.make(.componentScaled(ComponentScaledEvent(hostID: c.hostID, imageRef: c.imageRef, maxInstances: 0,
                                                                                 componentID: c.id)), source: c.hostID, time: at), at: at)
        }
        let now = dashboard.state.now
        let rebuild = Self.measure(frames: 10, warmup: 2) { i in
            blackHole(dashboard.view(for: .links, drill: nil, now: now.addingTimeInterval(Double(i)), paused: false))
        }
        print("""
            FRAME-BENCH links setup: 20,000 links over 100 hosts × 20 components, listed in \(Figures.ms(setup)) ms
            FRAME-BENCH baseline empty Links pane, whole frame: \(emptyFrame)
            FRAME-BENCH 20k links, one link put before every frame (incremental): \(changed)
            FRAME-BENCH 20k links, one component scaled to 0 before every frame (its links re-judged): \(stopped)
            FRAME-BENCH 20k links, the pane built from scratch alone (first frame of the pane): \(rebuild)
            """)
    }

    @Test(.enabled(if: benchEnabled, "set LATTICETOP_BENCH=1 (Benchmarks/frame.sh)"))
    func sortAndFilter100000Rows() {
        let setupStart = ContinuousClock.now
        let dashboard = Self.lattice(hosts: 1000, perHost: 100)
        let setup = ContinuousClock.now - setupStart
        #expect(dashboard.state.hosts.count == 1000)
        var app = AppState()
        app.pane = .components
        let backend = MemoryBackend(size: Self.size)
        var cache = ViewCache()
        let now = dashboard.state.now
        let first = ContinuousClock().measure { Self.frame(dashboard, app: &app, cache: &cache, backend: backend, now: now) }
        // A key press that sorts by another column (or turns the order round): the frame after it.
        let columns = [(0, true), (3, false), (4, true), (2, false), (1, true), (5, false), (0, false), (3, true)]
        var sorts: [(wall: Duration, cpu: Duration)] = []
        for round in 0..<3 {
            for (column, ascending) in columns {
                app.sorts[.components] = AppState.Sort(column: column, ascending: ascending)
                let t = Self.timed { Self.frame(dashboard, app: &app, cache: &cache, backend: backend, now: now) }
                if round > 0 { sorts.append(t) }
            }
        }
        app.sorts[.components] = nil
        // Typing a filter, one key at a time (each keystroke filters all 100,000 rows again).
        var typed: [(wall: Duration, cpu: Duration)] = []
        var kept = 0
        for round in 0..<3 {
            for text in ["a", "ap", "app", "app-", "app-1", "app-17", "app-1", "app-", "component-0", "component-00", "component-004",
                         "!app-3", "bench-host-99", "host-99 "] {
                app.filters[.components] = RowFilter(text)
                let t = Self.timed { Self.frame(dashboard, app: &app, cache: &cache, backend: backend, now: now) }
                if round > 0 { typed.append(t) }
                kept = cache.view(for: ViewCache.Key(app: app, dashboard: dashboard, spy: nil, now: now), model: dashboard, now: now,
                                  filter: app.filters[.components], sort: nil, at: .now) { PaneView(title: "", columns: [], rows: []) }.rows.count
            }
        }
        // Filters that need the expression engine: a regular expression, a column glob.
        var expressions: [String: (wall: Duration, cpu: Duration)] = [:]
        for text in ["comp.*00[0-4]", "host:bench-host-1*"] {
            app.filters[.components] = RowFilter(text)
            expressions[text] = Self.timed { Self.frame(dashboard, app: &app, cache: &cache, backend: backend, now: now) }
        }
        // Sorted and filtered at once, then one component scaled: the frame after the change.
        app.filters[.components] = RowFilter("app-1")
        app.sorts[.components] = AppState.Sort(column: 3, ascending: false)
        Self.frame(dashboard, app: &app, cache: &cache, backend: backend, now: now)
        var changing = dashboard
        let components = dashboard.state.allComponents
        var afterChange: [Duration] = []
        var at = now
        for i in 0..<130 {
            at += 0.033
            changing.apply([Self.scaleOne(components, i, at: at)])
            let t = ContinuousClock().measure { Self.frame(changing, app: &app, cache: &cache, backend: backend, now: at) }
            if i >= 30 { afterChange.append(t) }
        }
        print("""
            FRAME-BENCH 100k rows setup: 1,000 hosts × 100 components, built in \(Figures.ms(setup)) ms; first frame of the pane \(Figures.ms(first)) ms
            FRAME-BENCH 100k rows, the frame after a new sort column or direction: wall \(Figures(samples: sorts.map(\.wall))); CPU \(Figures(samples: sorts.map(\.cpu)))
            FRAME-BENCH 100k rows, the frame after each typed filter key (plain text; the last kept \(kept) rows): wall \(Figures(samples: typed.map(\.wall))); CPU \(Figures(samples: typed.map(\.cpu)))
            FRAME-BENCH 100k rows, the frame after a filter that needs the expression engine: \(expressions.sorted { $0.key < $1.key }.map { "\($0.key) wall \(Figures.ms($0.value.wall)) ms, CPU \(Figures.ms($0.value.cpu)) ms" }.joined(separator: "; "))
            FRAME-BENCH 100k rows filtered (app-1) and sorted (STATE ↓), one component scaled before every frame: \(Figures(samples: afterChange))
            """)
    }

    // MARK: - What reaches the terminal (always runs)

    @Test func presentingTheSameFrameTwiceWritesNothing() {
        let dashboard = Self.lattice(hosts: 10, perHost: 100)
        var app = AppState()
        app.pane = .components
        let backend = MemoryBackend(size: Self.size)
        var cache = ViewCache()
        let now = Self.base.addingTimeInterval(20)
        Self.frame(dashboard, app: &app, cache: &cache, backend: backend, now: now)
        let first = backend.bytesWritten
        #expect(first > 0)
        #expect(backend.lastFrameCells == Self.size.width * Self.size.height)
        Self.frame(dashboard, app: &app, cache: &cache, backend: backend, now: now)
        #expect(backend.bytesWritten == first, "an unchanged frame writes nothing")
        #expect(backend.lastFrameCells == 0)
        #expect(backend.frameCount == 1 && backend.presentCount == 2)
    }

    @Test func aOneRowChangeWritesOnlyThatRow() throws {
        var dashboard = Self.lattice(hosts: 10, perHost: 100)
        var app = AppState()
        app.pane = .components
        let backend = MemoryBackend(size: Self.size)
        var cache = ViewCache()
        let now = Self.base.addingTimeInterval(20)
        let t0 = ContinuousClock.now
        Self.frame(dashboard, app: &app, cache: &cache, backend: backend, now: now, at: t0)
        let before = backend.screen
        let bytesBefore = backend.bytesWritten

        // One component on one host scales from 2 to 9 max instances (a new inventory of its host).
        let c = try #require(dashboard.state.allComponents.dropFirst(5).first)
        let host = try #require(dashboard.state.hosts[c.hostID])
        let components = host.visibleComponents.map { x in
            ComponentDescription(id: x.id, imageRef: x.imageRef, name: x.name, annotations: x.annotations, revision: x.revision,
                                 maxInstances: x.id == c.id ? 9 : x.maxInstances, limits: x.limits)
        }
        dashboard.apply([.inventory(HostInventory(components: components, providers: [], hostID: host.id, friendlyName: host.friendlyName,
                                                  labels: host.labels, version: host.version ?? "", uptimeHuman: "", uptimeSeconds: 3600),
                                    syncID: 2, at: now.addingTimeInterval(-10))])
        // The very next frame: the Components pane is updated in place, never held back.
        Self.frame(dashboard, app: &app, cache: &cache, backend: backend, now: now, at: t0 + .milliseconds(1))
        #expect(cache.builds == 1 && cache.updates == 1)

        let runs = backend.screen.diff(from: before)
        let y = try #require(backend.lines().firstIndex { $0.contains(c.id) })
        #expect(backend.lines()[y].contains("● 9 max"))
        #expect(Set(runs.map(\.y)) == [y], "only the changed row is written, not \(Set(runs.map(\.y)).sorted())")
        #expect(backend.lastFrameCells > 0 && backend.lastFrameCells <= Self.size.width)
        let runBytes = runs.flatMap(\.cells).reduce(0) { sum, cell in
            switch cell.content {
            case .scalar(let s): return sum + UTF8.width(s)
            case .cluster(let ch): return sum + ch.utf8.count
            case .continuation: return sum
            }
        }
        #expect(backend.bytesWritten - bytesBefore == runBytes)
    }
}

@inline(never) func blackHole<T>(_ value: T) { withExtendedLifetime(value) {} }

/// The UI loop's view cache: keyed by what the screen reads (state version, clock second, spy
/// revision) and the UI state that picks the view; big views held by their size, never by how
/// long they took (instants are given: pure).
@Suite struct ViewCacheTests {
    static let now = FrameBenchmarkTests.base.addingTimeInterval(20)

    static func view(rows: Int) -> PaneView {
        PaneView(title: "t", columns: [TableColumn("A")], rows: (0..<rows).map { PaneRow(id: "r\($0)", cells: ["\($0)"]) })
    }

    static func key(_ pane: PaneID = .hosts, version: Int = 1, now: Date = now, paused: Bool = false, spy: UInt64? = nil,
                    drill: DrillTarget? = nil, roster: Int = 0) -> ViewCache.Key {
        ViewCache.Key(pane: pane, drill: drill, paused: paused, version: version, timeZone: "UTC", now: now, spy: spy, roster: roster)
    }

    @Test func theSameStateVersionIsNotRebuiltANewOneIs() {
        var cache = ViewCache()
        let t0 = ContinuousClock.now
        var built = 0
        let build = { () -> PaneView in built += 1; return Self.view(rows: 10) }
        _ = cache.view(for: Self.key(version: 1), at: t0, build: build)
        _ = cache.view(for: Self.key(version: 1), at: t0 + .seconds(5), build: build)
        #expect(built == 1 && cache.builds == 1, "the same version and second: no rebuild")
        _ = cache.view(for: Self.key(version: 2), at: t0 + .seconds(5), build: build)
        #expect(built == 2, "a new state version: rebuilt")
        _ = cache.view(for: Self.key(version: 2, now: Self.now + 1), at: t0 + .seconds(6), build: build)
        #expect(built == 3, "the Hosts pane shows ages: a new second rebuilds it")
        _ = cache.view(for: Self.key(.components, version: 2, now: Self.now + 1), at: t0 + .seconds(6), build: build)
        #expect(built == 4, "another pane: rebuilt")
    }

    @Test func keysHoldOnlyWhatTheScreenReads() {
        // The Spy pane reads the spy snapshot only: a new state version or second is the same view.
        #expect(Self.key(.spy, version: 1, spy: 7) == Self.key(.spy, version: 9, now: Self.now + 30, spy: 7))
        #expect(Self.key(.spy, spy: 7) != Self.key(.spy, spy: 8))
        // The lattice panes do not read the spy; the provider inspector reads all three.
        #expect(Self.key(.hosts, spy: 1) == Self.key(.hosts, spy: 2))
        let inspector = DrillTarget.provider(hostID: "H", providerID: "p")
        #expect(Self.key(.providers, spy: 1, drill: inspector) != Self.key(.providers, spy: 2, drill: inspector))
        #expect(Self.key(.providers, version: 1, drill: inspector) != Self.key(.providers, version: 2, drill: inspector))
    }

    @Test func aBigViewIsHeldByItsSizeAndRebuiltWhenTheHoldEnds() {
        var cache = ViewCache()
        let t0 = ContinuousClock.now
        var built = 0
        let big = { () -> PaneView in built += 1; return Self.view(rows: 20_000) }
        _ = cache.view(for: Self.key(.events, version: 1), at: t0, build: big)
        // A log that changes all the time: 20,000 rows stand in for newer states for a second.
        _ = cache.view(for: Self.key(.events, version: 2), at: t0 + .milliseconds(500), build: big)
        #expect(built == 1)
        #expect(!cache.refreshDue(at: t0 + .milliseconds(900)))
        #expect(cache.refreshDue(at: t0 + .seconds(1)), "the loop draws a frame when the hold ends")
        _ = cache.view(for: Self.key(.events, version: 3), at: t0 + .seconds(1), build: big)
        #expect(built == 2 && !cache.refreshDue(at: t0 + .seconds(3)))
        // What changes the screen itself is rebuilt at once, held or not.
        _ = cache.view(for: Self.key(.events, version: 3, paused: true), at: t0 + .seconds(1), build: big)
        #expect(built == 3)
        #expect(ViewCache.hold(rows: 500, keysWaiting: false) == .milliseconds(50))
        #expect(ViewCache.hold(rows: 20_000, keysWaiting: false) == .seconds(1))
    }

    /// A newer roster (hosts came, got their first inventory, a sync completed) is held at most
    /// 100 ms, however big the view: the first full picture is not a second late.
    @Test func aNewRosterIsHeldOnlyBriefly() {
        var cache = ViewCache()
        let t0 = ContinuousClock.now
        var built = 0
        let big = { () -> PaneView in built += 1; return Self.view(rows: 10_000) }
        _ = cache.view(for: Self.key(version: 1, roster: 1), at: t0, build: big)
        _ = cache.view(for: Self.key(version: 2, roster: 1), at: t0 + .milliseconds(50), build: big)
        _ = cache.view(for: Self.key(version: 3, roster: 2), at: t0 + .milliseconds(60), build: big)
        #expect(built == 1, "held: within 100 ms")
        #expect(!cache.refreshDue(at: t0 + .milliseconds(90)))
        #expect(cache.refreshDue(at: t0 + .milliseconds(100)), "due after 100 ms, not after the second 10,000 rows take")
        _ = cache.view(for: Self.key(version: 3, roster: 2), at: t0 + .milliseconds(100), build: big)
        #expect(built == 2)
        // The same roster: the size's hold (a second at 10,000 rows).
        _ = cache.view(for: Self.key(version: 4, roster: 2), at: t0 + .milliseconds(600), build: big)
        #expect(built == 2 && !cache.refreshDue(at: t0 + .milliseconds(1000)))
        #expect(ViewCache.hold(rows: 10_000, keysWaiting: false, rosterMoved: true) == .milliseconds(100))
        #expect(ViewCache.hold(rows: 500, keysWaiting: false, rosterMoved: true) == .milliseconds(50))
        #expect(ViewCache.hold(rows: 10_000, keysWaiting: true, rosterMoved: true) == .seconds(1), "keys first")
        // The roster moves with hosts and their first inventories, not with every change.
        var dashboard = FrameBenchmarkTests.lattice(hosts: 2, perHost: 3)
        let before = dashboard.roster
        dashboard.apply([.tick(Self.now)])
        #expect(dashboard.roster == before)
        let newcomer = HostInventory(components: [], providers: [], hostID: "NNEWCOMER", friendlyName: "new", labels: [:], version: "1.9.2",
                                     uptimeHuman: "", uptimeSeconds: 1)
        dashboard.apply([.inventory(newcomer, syncID: 1, at: Self.now)])
        #expect(dashboard.roster == before + 1)
        dashboard.apply([.syncFinished(id: 1, hostsAnswered: ["NNEWCOMER"], complete: true, at: Self.now)])
        #expect(dashboard.roster == before + 2)
    }

    @Test func theListPanesAreUpdatedInPlaceAtOnceNeverHeld() throws {
        var dashboard = FrameBenchmarkTests.lattice(hosts: 30, perHost: 100)
        var cache = ViewCache()
        let t0 = ContinuousClock.now
        var app = AppState()
        app.pane = .components
        func view(_ at: ContinuousClock.Instant) -> PaneView {
            cache.view(for: ViewCache.Key(app: app, dashboard: dashboard, spy: nil, now: Self.now), model: dashboard, now: Self.now,
                       filter: app.filters[.components], sort: app.sorts[.components], at: at) {
                Issue.record("an incremental pane is not built by the closure")
                return Self.view(rows: 0)
            }
        }
        #expect(view(t0).rows.count == 3000)
        let c = try #require(dashboard.state.allComponents.dropFirst(100).first)
        dashboard.apply([.event(LatticeEvent.make(.componentScaled(ComponentScaledEvent(hostID: c.hostID, imageRef: c.imageRef, maxInstances: 77,
                                                                                         componentID: c.id)), source: c.hostID, time: Self.now),
                                at: Self.now)])
        // A millisecond later (a 3,000-row view used to be held 300 ms): the change shows at once.
        let updated = view(t0 + .milliseconds(1))
        #expect(updated.rows.first { $0.id == "\(c.hostID)/\(c.id)" }?.cells[3] == "● 77 max")
        #expect(cache.builds == 1 && cache.updates == 1 && !cache.refreshDue(at: t0 + .seconds(2)))
        // A new sort re-arranges the kept rows (no build); the same key and sort again is free.
        app.sorts[.components] = AppState.Sort(column: 3, ascending: false)
        #expect(view(t0 + .milliseconds(2)).rows.first?.cells[3] == "● 77 max")
        _ = view(t0 + .milliseconds(3))
        #expect(cache.builds == 1 && cache.updates == 2)
        // Another screen of the same pane (a drill-down) is built as before.
        let drill = ViewCache.Key(pane: .components, drill: .component(hostID: c.hostID, componentID: c.id), paused: false,
                                  version: dashboard.version, timeZone: "UTC", now: Self.now, spy: nil)
        _ = cache.view(for: drill, model: dashboard, now: Self.now, at: t0 + .milliseconds(4)) { Self.view(rows: 3) }
        #expect(cache.builds == 2)
    }

    @Test func whileKeysAreAnsweredTheBuiltViewStandsInAndTheNextFrameRebuilds() {
        var cache = ViewCache()
        let t0 = ContinuousClock.now
        var built = 0
        let small = { () -> PaneView in built += 1; return Self.view(rows: 10) }
        _ = cache.view(for: Self.key(version: 1), at: t0, build: small)
        _ = cache.view(for: Self.key(version: 2), at: t0 + .milliseconds(200), keysWaiting: true, build: small)
        #expect(built == 1, "a key's frame does not wait for a rebuild")
        #expect(cache.refreshDue(at: t0 + .milliseconds(200)), "a frame without keys rebuilds it")
        _ = cache.view(for: Self.key(version: 2), at: t0 + .milliseconds(230), build: small)
        #expect(built == 2)
    }

    @Test func headerCountsAreCountedOncePerVersion() {
        var dashboard = FrameBenchmarkTests.lattice(hosts: 2, perHost: 3)
        var cache = ViewCache()
        #expect(cache.headerCounts(dashboard) == HeaderCounts(dashboard.state))
        #expect(cache.headerCounts(dashboard).components == 6)
        dashboard.apply([.tick(Self.now + 100)])
        #expect(cache.headerCounts(dashboard) == HeaderCounts(dashboard.state))
    }
}
