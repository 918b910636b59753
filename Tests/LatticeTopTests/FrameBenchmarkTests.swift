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
        let view = cache.view(for: key, at: instant) { [app] in dashboard.view(for: app.pane, drill: app.drill, now: now, paused: false) }
            .arranged(filter: app.filters[app.pane], sort: app.sorts[app.pane])
        app.reconcileSelection(view, visibleRows: Screen.visibleRows(size: size, banner: header.banner != nil))
        backend.present(Screen.render(app: app, header: header, view: view, size: size, theme: .default, now: now))
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
        var sorted: [Duration] { samples.sorted() }
        var description: String { "median \(Self.ms(median)) ms, p99 \(Self.ms(p99)) ms (\(samples.count) frames)" }
        static func ms(_ d: Duration) -> String {
            let (s, atto) = d.components
            return String(format: "%.3f", Double(s) * 1000 + Double(atto) / 1e15)
        }
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

    @Test(.enabled(if: ProcessInfo.processInfo.environment["LATTICETOP_BENCH"] == "1", "set LATTICETOP_BENCH=1 (Benchmarks/frame.sh)"))
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
        let emptyFrame = Self.measure { i in
            Self.frame(empty, app: &emptyApp, cache: &emptyCache, backend: emptyBackend, now: Self.base.addingTimeInterval(20 + Double(i)))
        }

        // Every frame after a state change (the view is rebuilt): a tick one second later and
        // the selection one row down before each frame; only the frame is timed, not the reducer.
        let backend = MemoryBackend(size: Self.size)
        var cache = ViewCache()
        var now = Self.base.addingTimeInterval(20)
        var changedSamples: [Duration] = []
        for i in 0..<220 {
            now += 1
            dashboard.apply([.tick(now)])
            Self.move(&app, by: 1, rowCount: 10_000)
            let t = ContinuousClock().measure { Self.frame(dashboard, app: &app, cache: &cache, backend: backend, now: now) }
            if i >= 20 { changedSamples.append(t) }
        }
        let changed = Figures(samples: changedSamples)
        // The rebuild alone (what a frame after a change costs when the view is not held back).
        let rebuild = Self.measure(frames: 50, warmup: 5) { i in
            blackHole(dashboard.view(for: .components, drill: nil, now: now.addingTimeInterval(Double(i)), paused: false))
        }
        // Frames while nothing changed (the app draws these when a key moves the selection).
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
            FRAME-BENCH 10k rows, state changed before each frame (as the loop draws it; a view of 10,000 rows is rebuilt at most once a second, ViewCache.hold): \(changed)
            FRAME-BENCH 10k rows, the view rebuilt alone: \(rebuild)
            FRAME-BENCH 10k rows, nothing changed but the selection: \(steady), \(String(format: "%.0f", steadyCells)) cells written per frame
            FRAME-BENCH 10k rows, identical frame: \(backend.bytesWritten - idleBytes) bytes written
            """)
        #expect(backend.bytesWritten == idleBytes)
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
        // After the hold of a 1,000-row view (ViewCache.hold: 100 ms), so the frame rebuilds it.
        Self.frame(dashboard, app: &app, cache: &cache, backend: backend, now: now, at: t0 + .milliseconds(100))

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
        _ = cache.view(for: Self.key(.links, version: 1), at: t0, build: big)
        // A lattice that changes all the time: 20,000 rows stand in for newer states for a second.
        _ = cache.view(for: Self.key(.links, version: 2), at: t0 + .milliseconds(500), build: big)
        #expect(built == 1)
        #expect(!cache.refreshDue(at: t0 + .milliseconds(900)))
        #expect(cache.refreshDue(at: t0 + .seconds(1)), "the loop draws a frame when the hold ends")
        _ = cache.view(for: Self.key(.links, version: 3), at: t0 + .seconds(1), build: big)
        #expect(built == 2 && !cache.refreshDue(at: t0 + .seconds(3)))
        // What changes the screen itself is rebuilt at once, held or not.
        _ = cache.view(for: Self.key(.links, version: 3, paused: true), at: t0 + .seconds(1), build: big)
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
