import Foundation
import LatticeProtocol
import LatticeMonitor
import LatticeState
import TerminalUI
import Testing
@testable import LatticeTop

/// The app shell's single rules: typed sort keys, the sort key in the key table, one clock
/// format honouring `TZ`, one secret-reference rule, awaited events as types.
@Suite struct AppShellUnitTests {
    /// The command line's completions (every component ID: costly at a big lattice) are made
    /// only when Tab completes, not for every key.
    @Test func completionsAreMadeOnlyWhenTabCompletes() {
        let view = PaneView(title: "t", columns: [TableColumn("NAME")], rows: [])
        var app = AppState()
        var made = 0
        func lists() -> [String: [String]] {
            made += 1
            return ["spy": ["comp-1"]]
        }
        for key in [Key.character("j"), .character(":"), .character("s"), .character("p")] {
            _ = app.handle(.key(key), view: view, visibleRows: 10, now: Date(), completions: lists())
        }
        #expect(made == 0)
        _ = app.handle(.key(.tab), view: view, visibleRows: 10, now: Date(), completions: lists())
        #expect(made == 1)
    }

    /// Shift-U sorts hosts by uptime as durations: 59m before 1h2m (as text, "1h2m" < "59m").
    @Test func uptimeSortsAsADuration() {
        let columns = [TableColumn("NAME"), TableColumn("UPTIME")]
        let rows = [PaneRow(id: "a", cells: ["a", "1h2m"], sortKeys: [1: .number(3720)]),
                    PaneRow(id: "b", cells: ["b", "59m"], sortKeys: [1: .number(3540)]),
                    PaneRow(id: "c", cells: ["c", "-"], sortKeys: [1: .number(Double?.none)])]
        let view = PaneView(title: "t", columns: columns, rows: rows)
        var app = AppState()
        _ = app.handle(.key(.character("U")), view: view, visibleRows: 10, now: Date())
        #expect(app.sorts[.hosts] == AppState.Sort(column: 1, ascending: true))
        #expect(view.arranged(filter: nil, sort: app.sorts[.hosts]).rows.map(\.id) == ["b", "a", "c"])
        _ = app.handle(.key(.character("U")), view: view, visibleRows: 10, now: Date())
        #expect(view.arranged(filter: nil, sort: app.sorts[.hosts]).rows.map(\.id) == ["c", "a", "b"])
    }

    /// The real Hosts pane gives UPTIME a duration key.
    @Test func hostsPaneUptimeKeys() {
        var shell = ShellDriver.twoHosts()
        shell.press(.character("U"))
        let names = shell.view.rows.map { $0.cells[0] }
        // bold-river is up 115 s (+ the time since), misty-forest an hour.
        #expect(names == ["bold-river-2207", "misty-forest-3302"], "\(shell.view.rows.map(\.cells))")
    }

    /// Shift-letters live in the key table: the help and hint bar show them, a screen's own
    /// capital key wins over sorting, and read-only keeps sorting.
    @Test func sortingIsAKeyTableBinding() {
        #expect(KeyTable.binding(for: .character("N"), in: .hosts, readOnly: true)?.command(for: .character("N")) == .sort("N"))
        #expect(KeyTable.binding(for: .character("E"), in: .configs, readOnly: false)?.command == .operate(.editConfigInEditor))
        #expect(KeyTable.binding(for: .character("G"), in: .hosts, readOnly: false)?.command == .last)
        let app = AppState()
        #expect(app.hints.last == HintBar.Item(key: "⇧A-Z", label: "sort"))
        #expect(Screen.helpLines(app).contains { $0.contains("⇧A-Z") && $0.contains("sort by the column") })
    }

    @Test func clockHonoursTZ() {
        let noonUTC = Date(timeIntervalSince1970: 1_748_779_200 + 0.25)  // 2025-06-01T12:00:00.25Z
        let tokyo = ClockText.zone(environment: ["TZ": "Asia/Tokyo"])
        #expect(ClockText.format(noonUTC, timeZone: tokyo) == "21:00:00")
        #expect(ClockText.format(noonUTC, timeZone: ClockText.zone(environment: ["TZ": ":UTC"]), milliseconds: true) == "12:00:00.250")
        #expect(ClockText.format(noonUTC, timeZone: ClockText.zone(environment: ["TZ": "UTC0"])) == "12:00:00")
        // Before 1970 too.
        #expect(ClockText.format(Date(timeIntervalSince1970: -1), timeZone: TimeZone(identifier: "UTC")!) == "23:59:59")
    }

    @Test func oneSecretReferenceRule() {
        #expect(SecretReference.isReference("SECRET_nats_creds"))
        #expect(SecretReference.isReference("SECRETS"))
        #expect(!SecretReference.isReference("secret_lowercase"))
        #expect(!SecretReference.isReference("db-credentials"))
    }

    /// The awaited events are event types; the verdict only looks at those.
    @Test func awaitedEventsAreTypes() {
        let stop = OperateAction.stopProvider(hostID: "H", providerID: "p")
        #expect(stop.awaitedEvents == [.providerStopped])
        let started = LatticeEvent.make(.providerStarted(ProviderStartedEvent(hostID: "H", imageRef: "r", providerID: "p")), source: "H",
                                        time: Date(), id: "1")
        #expect(stop.verdict(on: started) == nil)
        let stopped = LatticeEvent.make(.providerStopped(ProviderStoppedEvent(hostID: "H", providerID: "p", reason: "stop")), source: "H",
                                        time: Date(), id: "2")
        #expect(stop.verdict(on: stopped) == .confirmed(event: .providerStopped))
    }
}

/// The registry of views: every screen is declared once, and the key table, hints and help
/// are made from the declarations.
@Suite struct ViewRegistryTests {
    static var kinds: [ScreenKind] { ViewRegistry.kinds }

    @Test func everyScreenIsRegisteredOnceAndPanesAreNumbered() {
        #expect(Set(Self.kinds).count == Self.kinds.count)
        #expect(PaneID.allCases.map(\.number) == Array(1...PaneID.allCases.count))
        let names = PaneID.allCases.flatMap(\.commandNames)
        #expect(Set(names).count == names.count, "a :command names two panes: \(names)")
        // Every drill-down a row can open is registered (building each list's rows finds them).
        var shell = ShellDriver.twoHosts()
        for pane in PaneID.allCases {
            shell.app.pane = pane
            for row in shell.view.rows {
                if let drill = row.drill { #expect(Self.kinds.contains(drill.screen), "\(pane): \(drill.screen) is not registered") }
            }
        }
    }

    /// On each screen a key does one thing (a screen's own key cannot shadow a global one
    /// unnoticed), and read-only leaves no key that changes the lattice.
    @Test func keysAreUniquePerScreenAndReadOnlyDropsMutations() {
        for kind in Self.kinds {
            var seen: [Key: String] = [:]
            for b in KeyTable.bindings(for: kind, readOnly: false) {
                for key in b.keys {
                    #expect(seen[key] == nil, "\(kind): \(key) is both \(seen[key] ?? "") and \(b.label)")
                    seen[key] = b.label
                }
            }
            #expect(!KeyTable.bindings(for: kind, readOnly: true).contains { $0.mutates || $0.dangerous }, "\(kind)")
        }
    }

    /// The hint bar and the help come from the same declarations.
    @Test func hintsAndHelpComeFromTheDeclarations() {
        for kind in Self.kinds {
            let bindings = KeyTable.bindings(for: kind, readOnly: false)
            let spec = ViewRegistry.screen(kind)
            #expect(bindings.contains { $0.command == .drillDown } == spec.drillsDown, "\(kind)")
            #expect(bindings.contains { $0.command == .togglePause } == spec.pausable, "\(kind)")
            for own in spec.keys { #expect(bindings.contains { $0.keyLabel == own.keyLabel && $0.label == own.label }) }
        }
        var app = AppState()
        app.pane = .components
        app.drills[.components] = [.component(hostID: "H", componentID: "c")]
        #expect(app.screen == .component)
        #expect(app.hints.map(\.label).contains("scale"))
        #expect(!app.hints.map(\.label).contains("details"))
        #expect(Screen.helpLines(app).contains { $0.hasSuffix("update image") })
    }
}

/// The hand-over from the monitor to the UI loop is bounded: what does not fit is dropped and
/// counted, and the model says so.
@Suite struct BoundedHandOverTests {
    @Test func overflowIsDroppedAndCounted() async {
        let queue = BatchQueue<Int>(capacity: 5)
        queue.push(Array(0..<3))
        queue.push(Array(3..<9))
        let (items, dropped) = queue.drainCountingDrops()
        #expect(items == [0, 1, 2, 3, 4])
        #expect(dropped == 4)
        // Room again once taken; the count is a total.
        queue.push([9])
        #expect(queue.drainCountingDrops() == ([9], 4))
        // A waiting consumer gets at most `capacity` of one push.
        async let next = queue.next()
        while queue.droppedTotal == 4 {
            queue.push(Array(10..<20))
            await Task.yield()
        }
        let got = await next
        #expect(got?.count ?? 0 <= 5)
        #expect(queue.droppedTotal > 4)
    }
}
