import ArgumentParser
import Foundation
import LatticeProtocol
import LatticeState
import TerminalUI
import Testing
@testable import LatticeTop

/// Time travel in the shell: the loop's `TimeMachine` over what the model was given.
@Suite struct TimeMachineTests {
    let utc = TimeZone(identifier: "UTC")!
    /// 2025-06-01 10:30:00 UTC.
    let t0 = Date(timeIntervalSince1970: 1_748_773_800)

    func event(_ payload: LatticeEventPayload, at seconds: TimeInterval) -> LatticeInput {
        let time = t0 + seconds
        return .event(LatticeEvent.make(payload, source: "NHOST", time: time, id: UUID().uuidString), at: time + 0.05)
    }

    /// A host starts, a provider starts at 10:35, crashes (stops) at 10:42:03.
    var crash: [LatticeInput] {
        [event(.hostStarted(HostStartedEvent(friendlyName: "edge-1", labels: [:], version: "1.9.2")), at: 0),
         event(.providerStarted(ProviderStartedEvent(hostID: "NHOST", imageRef: "ghcr.io/x/kv:1", providerID: "kv-redis")), at: 300),
         event(.healthCheckPassed(HealthCheckEvent(hostID: "NHOST", providerID: "kv-redis")), at: 330),
         event(.providerStopped(ProviderStoppedEvent(hostID: "NHOST", providerID: "kv-redis", reason: "crashed")), at: 723)]
    }

    func machine() -> (TimeMachine, Dashboard) {
        var live = Dashboard(lattice: "default", server: "nats://127.0.0.1:4222", context: nil)
        live.timeZone = utc
        live.apply(crash)
        var machine = TimeMachine()
        machine.record(crash)
        return (machine, live)
    }

    func providers(_ view: PaneView) -> [String] { view.rows.map { $0.cells.joined(separator: " ") } }

    @Test func backBeforeTheCrashTheProviderRunsAndEveryPaneShowsThen() {
        var (machine, live) = machine()
        var app = AppState()
        app.pane = .providers
        let now = t0 + 1630                                            // 10:57:10
        #expect(live.view(for: .providers, drill: nil, now: now, paused: false).rows.allSatisfy { !$0.cells.joined().contains("healthy") })
        machine.travel(.step(-1), app: &app, live: now, timeZone: utc)
        #expect(app.travel == t0 + 723, "the last change: the crash")
        machine.travel(.step(-1), app: &app, live: now, timeZone: utc)
        #expect(app.travel == t0 + 330)
        let (past, at) = machine.shown(live, app: app, now: now)
        #expect(at == t0 + 330)
        let rows = providers(past.view(for: .providers, drill: nil, now: at, paused: false))
        #expect(rows.count == 1 && rows[0].contains("kv-redis") && rows[0].contains("healthy"), "\(rows)")
        // The Events pane of then ends with the health check.
        let events = past.view(for: .events, drill: nil, now: at, paused: false).rows
        #expect(events.count == 3, "\(events.map { $0.cells })")
        // Forward past the crash, then past the last change: live again.
        machine.travel(.step(1), app: &app, live: now, timeZone: utc)
        #expect(app.travel == t0 + 723)
        machine.travel(.step(1), app: &app, live: now, timeZone: utc)
        #expect(app.travel == nil && app.flash?.message == "live")
        #expect(machine.shown(live, app: app, now: now).now == now)
    }

    @Test func atJumpsAndShiftMovesByAMinute() {
        var (machine, _) = machine()
        var app = AppState()
        let now = t0 + 1630
        machine.travel(.to(.clock(hour: 10, minute: 36, second: 0)), app: &app, live: now, timeZone: utc)
        #expect(app.travel == t0 + 360)
        machine.travel(.minutes(-1), app: &app, live: now, timeZone: utc)
        #expect(app.travel == t0 + 300)
        machine.travel(.to(.ago(2 * 3600)), app: &app, live: now, timeZone: utc)
        #expect(app.travel == t0 && app.flash?.message == "history starts at 10:30:00")
        machine.travel(.live, app: &app, live: now, timeZone: utc)
        #expect(app.travel == nil)
    }

    /// The header in the past: `⏪ AT … — live: …` first, in the warning colour, the past's counts.
    @Test func theHeaderSaysAtInTheWarningColour() throws {
        var (machine, live) = machine()
        var app = AppState()
        app.pane = .providers
        let now = t0 + 1630
        machine.travel(.to(.clock(hour: 10, minute: 42, second: 0)), app: &app, live: now, timeZone: utc)
        let (past, at) = machine.shown(live, app: app, now: now)
        let header = TimeMachine.header(live: live.header(now: now), past: past.header(now: at), moment: at, now: now, timeZone: utc)
        #expect(header.providers == 1 && live.header(now: now).providers == 0)
        let theme = Theme.default
        let view = past.view(for: app.pane, drill: nil, now: at, paused: false)
        let canvas = Screen.render(app: app, header: header, view: view, size: Size(width: 120, height: 24), theme: theme, now: at)
        try SnapshotFile.assertMatches(canvas.lines().joined(separator: "\n") + "\n", name: "travel-providers-120x24")
        let top = canvas.lines()[0]
        #expect(top.hasPrefix("⏪ AT 10:42:00 — live: 10:57:10 │ lattice default │"), "\(top)")
        #expect(canvas.cell(at: Point(x: 0, y: 0))?.style == theme[.warning].over(theme[.header]))
        #expect(canvas.cell(at: Point(x: 40, y: 0))?.style == theme[.header])
        // In the past no key changes the lattice, and the hint bar says how to travel.
        #expect(!app.bindings.contains { $0.mutates })
        #expect(canvas.lines().suffix(2).joined().contains("<[ ]> time travel"), "\(canvas.lines().suffix(2))")
    }

    @Test func onALatticeTooLargeForItsBudgetTimeTravelIsOffAndSaysSo() {
        var machine = TimeMachine(budget: 64 << 10, configuration: LatticeStateConfiguration())
        machine.record(crash)
        var app = AppState()
        let now = t0 + 1630
        // Before anything is folded, nothing is measured: time travel works.
        machine.travel(.step(-1), app: &app, live: now, timeZone: utc)
        #expect(app.travel == t0 + 723 && machine.offNote == nil)
        machine.travel(.live, app: &app, live: now, timeZone: utc)
        // The second's fold measures the model: four copies do not fit in 32 KiB.
        machine.tick(live: LatticeState())
        let note = machine.offNote
        #expect(note?.hasPrefix("time travel is off") == true && note?.contains("--time-travel-memory") == true, "\(note ?? "nil")")
        machine.travel(.step(-1), app: &app, live: now, timeZone: utc)
        #expect(app.travel == nil && app.flash?.message == note && app.flash?.isError == true)
        var live = Dashboard(lattice: "default", server: "nats://127.0.0.1:4222", context: nil)
        live.apply(crash)
        app.travel = t0 + 330
        #expect(machine.shown(live, app: app, now: now).now == now, "nothing kept to show: live")
    }

    /// A sync streams in a reply of every host: the past's copy of them is folded after the
    /// sync, not on the UI thread while the live picture is being made; a jump still sees them.
    @Test func nothingIsFoldedForThePastWhileASyncRuns() {
        var live = Dashboard(lattice: "default", server: "nats://127.0.0.1:4222", context: nil)
        var machine = TimeMachine()
        let started = t0 + 1
        let pings: [LatticeInput] = (0..<50).map { i in
            .hostPinged(HostInfo(id: "NHOST\(i)", friendlyName: "host-\(i)", lattice: "default", uptimeSeconds: 10, version: "1.9.2"),
                        syncID: 1, at: started + Double(i) / 100)
        }
        let inputs = [LatticeInput.syncStarted(id: 1, at: started)] + pings
        live.apply(inputs)
        machine.record(inputs)
        #expect(live.state.sync.isRunning)
        machine.tick(live: live.state)
        #expect(machine.timeline.unfolded == inputs.count, "folded while the sync ran")
        // The sync is over: the next tick folds what waited.
        let finished = LatticeInput.syncFinished(id: 1, hostsAnswered: Set((0..<50).map { "NHOST\($0)" }), complete: true, at: started + 2)
        live.apply([finished])
        machine.record([finished])
        machine.tick(live: live.state)
        #expect(machine.timeline.unfolded == 0)
        // A jump back into the sync sees what it brought.
        var app = AppState()
        app.travel = started + 0.25
        let (past, _) = machine.shown(live, app: app, now: started + 3)
        #expect(past.state.hosts.count == 26)
    }

    @Test func timeTravelMemoryTakesMiB() throws {
        #expect(try DashboardOptions.parse([]).timeTravelMemory == 128)
        #expect(try DashboardOptions.parse(["--time-travel-memory", "512"]).timeTravelMemory == 512)
        #expect(throws: (any Error).self) { try DashboardOptions.parse(["--time-travel-memory", "-1"]) }
        #expect(throws: (any Error).self) { try DashboardOptions.parse(["--time-travel-memory", "lots"]) }
    }
}
