import Foundation
import LatticeMonitor
import LatticeProtocol
import LatticeSpy
import LatticeState
import NATSKit
import TerminalUI
import Testing
@testable import LatticeTop

/// The spy's data reaches the UI as snapshot values taken on the capture side (`SpyFeed`), sent
/// only when the capture changed and one at a time; the Spy pane is built from the snapshot and
/// cached by its revision, so a quiet spy costs no rebuilds.
@Suite struct SpyFeedTests {
    static let now = SnapshotWorld.now

    @Test func thePolicySendsOnChangeAtFrameRateWhileShownAndOneAtATime() {
        var policy = SpyFeedPolicy()
        var counters = SpyCounters()
        let live = SpyInterest(live: true)
        #expect(policy.due(counters: counters, paused: false, interest: live, second: 100, taken: 0), "the first snapshot goes at once")
        let capture = SpyCapture()
        let first = SpyData.taken(from: capture, scope: "s", revision: 1)
        policy.sent(first, message: nil, second: 100)
        #expect(!policy.due(counters: counters, paused: false, interest: live, second: 105, taken: 1), "nothing changed, no traffic: nothing")
        counters.received = 5
        #expect(policy.due(counters: counters, paused: false, interest: live, second: 100, taken: 1), "changed, shown: at once")
        #expect(!policy.due(counters: counters, paused: false, interest: SpyInterest(), second: 100, taken: 1),
                "changed, not shown: once a second")
        #expect(policy.due(counters: counters, paused: false, interest: SpyInterest(), second: 101, taken: 1))
        #expect(!policy.due(counters: counters, paused: false, interest: live, second: 100, taken: 0),
                "the loop has not taken the last one: nothing more")
        #expect(policy.due(counters: counters, paused: false, interest: live, second: 102, taken: 0), "after two seconds, one more")
        #expect(policy.due(counters: SpyCounters(), paused: true, interest: live, second: 100, taken: 1), "paused: at once")
        #expect(policy.due(counters: SpyCounters(), paused: false, interest: SpyInterest(live: true, message: 3), second: 100, taken: 1),
                "a message asked about: at once")
    }

    @Test func aQuietCaptureSendsNothingAndTheSpyPaneIsNotRebuilt() throws {
        let (capture, _) = SnapshotWorld.makeSpy()
        let world = try SnapshotWorld.shared()
        var dashboard = world.dashboard
        let feed = SpyFeed(capture: capture, scope: "lattice-wide", revision: 0, interest: SpyInterest(live: true))
        var cache = ViewCache()
        var app = AppState()
        app.pane = .spy
        let t0 = ContinuousClock.now
        func frame(_ spy: SpyData?, now: Date, at: ContinuousClock.Instant) -> PaneView {
            cache.view(for: ViewCache.Key(app: app, dashboard: dashboard, spy: spy, now: now), at: at) {
                dashboard.view(for: .spy, drill: nil, now: now, paused: false, spy: spy)
            }
        }
        let first = try #require(feed.next(now: Self.now, taken: 0))
        #expect(first.revision == 1 && first.snapshot.messages.count == 6)
        #expect(frame(first, now: Self.now, at: t0).rows.count == 6)
        // Ten quiet seconds in which the lattice changes and the clock ticks: no snapshot, no rebuild.
        for s in 1...10 {
            #expect(feed.next(now: Self.now + Double(s), taken: first.revision) == nil)
            dashboard.apply([.tick(Self.now + Double(s))])
            _ = frame(first, now: Self.now + Double(s), at: t0 + .seconds(s))
        }
        #expect(cache.builds == 1, "the Spy pane was rebuilt without traffic")
        // One more call: a snapshot with it, and the pane rebuilt once.
        capture.ingest([SpyWireMessage(subject: "default.rust_http_kv-counter.wrpc.0.0.1.wasi:http/incoming-handler@0.2.0.handle",
                                       reply: "_INBOX.z.1", headers: ["source-id": "rust_http_kv-httpserver"], payload: Data("x".utf8))],
                       from: .invocations)
        let second = try #require(feed.next(now: Self.now + 11, taken: first.revision))
        #expect(second.revision == 2 && second.snapshot.messages.count == 7)
        #expect(frame(second, now: Self.now + 11, at: t0 + .seconds(11)).rows.count == 7)
        #expect(cache.builds == 2)
    }

    @Test func theMessageAskedAboutComesWithItsDetail() throws {
        let (capture, _) = SnapshotWorld.makeSpy()
        let sequence = try #require(capture.snapshot(limit: 1).messages.first?.sequence)
        let feed = SpyFeed(capture: capture, scope: "lattice-wide", revision: 4, interest: SpyInterest(live: true))
        let plain = try #require(feed.next(now: Self.now, taken: 0))
        #expect(plain.revision == 5 && plain.focus == nil)
        let dashboard = try SnapshotWorld.shared().dashboard
        #expect(dashboard.view(for: .spy, drill: .spyMessage(sequence), now: Self.now, paused: false, spy: plain).emptyMessage
                    == "reading message \(sequence) from the spy…")
        feed.interest = SpyInterest(live: true, message: sequence)
        let focused = try #require(feed.next(now: Self.now, taken: plain.revision))
        #expect(focused.focus?.sequence == sequence && focused.focus?.message != nil && focused.focus?.detail != nil)
        let detail = dashboard.view(for: .spy, drill: .spyMessage(sequence), now: Self.now, paused: false, spy: focused)
        #expect(detail.rows.contains { $0.cells.first?.hasPrefix("payload (") == true }, "\(detail.rows.map(\.cells))")
    }
}

/// Each screen's view depends on what it declares (`ScreenSpec.reads`) and nothing else, so the
/// view cache's keys are right: a screen that does not show ages looks the same an hour later,
/// one that does not read the state the same on another lattice, one that does not read the spy
/// the same without it.
@Suite struct ScreenReadsTests {
    static func shown(_ v: PaneView) -> [String] {
        [v.title, v.emptyMessage] + v.rows.map { "\($0.cells) \(String(describing: $0.role)) \($0.cellRoles)" }
    }

    @Test func everyScreenReadsOnlyWhatItDeclares() throws {
        let world = try SnapshotWorld.shared()
        let model = world.dashboard
        var empty = Dashboard(lattice: "default", server: "nats://127.0.0.1:4222", context: "prod-eu")
        empty.timeZone = SnapshotWorld.utc
        let spy = SpyData.taken(from: world.spy, scope: "lattice-wide", revision: 1)
        let now = SnapshotWorld.now
        // A screen of each kind: the panes' lists, and the first drill-down of each kind their rows open.
        var targets: [ScreenKind: (PaneID, DrillTarget?)] = [:]
        for pane in PaneID.allCases {
            targets[pane.spec.screen.kind] = (pane, nil)
            for row in model.view(for: pane, drill: nil, now: now, paused: false, spy: spy).rows {
                if let drill = row.drill, targets[drill.screen] == nil { targets[drill.screen] = (pane, drill) }
            }
        }
        targets[.spyOperations] = (.spy, .spyOperations)
        #expect(Set(targets.keys) == Set(ViewRegistry.kinds), "not every screen was reached: \(Set(ViewRegistry.kinds).subtracting(targets.keys))")
        var clockSeen = false
        for (kind, (pane, drill)) in targets {
            let reads = ViewRegistry.screen(kind).reads
            let base = Self.shown(model.view(for: pane, drill: drill, now: now, paused: false, spy: spy))
            let later = Self.shown(model.view(for: pane, drill: drill, now: now + 3600, paused: false, spy: spy))
            if !reads.contains(.clock) { #expect(base == later, "\(kind) changes with the clock but does not declare it") }
            if reads.contains(.clock), base != later { clockSeen = true }
            if !reads.contains(.state) {
                #expect(base == Self.shown(empty.view(for: pane, drill: drill, now: now, paused: false, spy: spy)),
                        "\(kind) changes with the state but does not declare it")
            }
            if !reads.contains(.spy) {
                #expect(base == Self.shown(model.view(for: pane, drill: drill, now: now, paused: false, spy: nil)),
                        "\(kind) changes with the spy but does not declare it")
            }
        }
        #expect(clockSeen, "no screen changed with the clock: the check cannot tell")
    }
}

/// `E` on a config through the whole dashboard: the loop hands the terminal over and the effect
/// runner runs the editor; meanwhile the loop draws nothing and reads no keys, but keeps taking
/// the monitor's inputs (with a small hand-over, a flood meanwhile is not dropped); the editor's
/// result comes back as an input and opens the confirm.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct EditorEffectTests {
    @Test func theEditorRunsOffTheUIThreadAndItsResultComesBackAsAnInput() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lteditor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let started = directory.appendingPathComponent("started"), go = directory.appendingPathComponent("go")
        let script = directory.appendingPathComponent("editor.sh")
        try """
            #!/bin/sh
            touch '\(started.path)'
            while [ ! -e '\(go.path)' ]; do sleep 0.05; done
            sed -i 's/0.0.0.0:8080/0.0.0.0:9191/' "$1"
            """.write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        var monitor = MonitorConfiguration()
        monitor.handOverLimit = 1000

        try await FaultDashboardTests.withDashboard(monitor: monitor, editorCommand: script.path) { fixture, app in
            await app.pane("5")
            await app.expectScreen("Config (4)")
            app.terminal.type("/hello")
            app.terminal.press(.enter)
            await app.expectScreen("Config (1) /hello")
            app.terminal.type("E")
            let running = await eventually(timeout: .seconds(10)) { FileManager.default.fileExists(atPath: started.path) }
            #expect(running, "the editor never started")
            #expect(app.terminal.isSuspended, "the terminal is handed over while the editor runs")

            // A flood of lattice events, four times the hand-over, while the editor is open.
            let publisher = try await NATSConnection.connect(NATSConnectionOptions(servers: [fixture.server.url], name: "editor-flood"))
            defer { publisher.close() }
            let host = "NEDITORFLOODAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
            for chunk in 0..<20 {
                for i in 0..<200 {
                    let id = chunk == 19 && i == 199 ? "editor-flood-last" : "editor-flood-\(i % 20)"
                    let event = LatticeEvent.make(.healthCheckStatus(HealthCheckEvent(hostID: host, providerID: id)), source: host)
                    try publisher.publish(try #require(event.subject(lattice: "default")), payload: try event.encoded())
                }
                try publisher.flush(timeout: .seconds(10))
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(app.terminal.isSuspended, "the editor is still open")

            try Data().write(to: go)
            await app.expectScreen("Change config?")
            let screen = app.terminal.text
            #expect(screen.contains("- address        0.0.0.0:8080") && screen.contains("+ address        0.0.0.0:9191"), "\(screen)")
            app.terminal.press(.character("n"))
            await app.expectScreen("cancelled")

            // The flood is in the model (the last event is listed) and nothing of it was dropped:
            // the loop kept taking inputs while the editor ran.
            await app.pane("7")
            await app.expectScreen("editor-flood-last")
            #expect(!app.terminal.text.contains("UI hand-over") && !app.terminal.text.contains(" dropped"), "\(app.terminal.text)")
            let handOvers = app.terminal.handOvers
            #expect(handOvers.suspensions == 1)
            #expect(handOvers.drawn == 0, "the loop drew over the editor")
            #expect(handOvers.read == 0, "the loop read keys meant for the editor")
        }
    }
}
