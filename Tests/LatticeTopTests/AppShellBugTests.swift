import Foundation
import LatticeProtocol
import LatticeState
import TerminalUI
import Testing
@testable import LatticeTop

/// The four bugs issue #16 found by reading the app shell, each driven through the keys as the
/// UI loop sends them (`ShellDriver`), on a small lattice built from values (no NATS).
@Suite struct AppShellBugTests {
    static let river = SnapshotWorld.riverHost
    static let misty = SnapshotWorld.mistyHost

    /// `enter` on a component opens that component (not the unfiltered list), and `c` / `u`
    /// act on it there.
    @Test func enterOnComponentsOpensTheComponent() {
        var shell = ShellDriver.twoHosts()
        shell.press(.character("2"))
        #expect(shell.select { $0.cells.first == "echo" })
        shell.press(.enter)
        let view = shell.view
        #expect(view.title.contains("echo"), "title: \(view.title)")
        #expect(!view.rows.contains { $0.cells.contains("signed-example") }, "the drill-down shows only echo: \(view.rows.map(\.cells))")
        shell.press(.character("c"))
        guard case .form(let f) = shell.app.mode else {
            Issue.record("c in the component's drill-down opens no form (flash: \(shell.app.flash?.message ?? "-"))")
            return
        }
        #expect(f.form.title == "Scale component echo")
    }

    /// Hosts → host → provider: ctrl-d stops the provider, as it does from the Providers pane.
    @Test func ctrlDInHostProviderStopsTheProvider() {
        var shell = ShellDriver.twoHosts()
        #expect(shell.select { $0.cells.first == "bold-river-2207" })
        shell.press(.enter)
        #expect(shell.select { $0.cells.count > 1 && $0.cells[1] == "nats-messaging" })
        shell.press(.enter)
        #expect(shell.view.title.hasPrefix("Provider nats-messaging"), "title: \(shell.view.title)")
        // The hint bar and the help say what ctrl-d does here.
        #expect(shell.app.hints.contains { $0.key == "ctrl-d" && $0.label == "stop provider" })
        #expect(Screen.helpLines(shell.app).contains { $0.contains("ctrl-d") && $0.contains("stop provider") })
        #expect(!Screen.helpLines(shell.app).contains { $0.contains("stop host") })
        shell.press(.ctrl("d"))
        guard case .confirm(let c) = shell.app.mode else {
            Issue.record("ctrl-d opens no confirm")
            return
        }
        #expect(c.actions == [.stopProvider(hostID: Self.river, providerID: "nats-messaging")])
    }

    /// `y` shows the raw JSON of a drill-down's row (here a component inside a host).
    @Test func rawJSONInDrillDowns() {
        var shell = ShellDriver.twoHosts()
        #expect(shell.select { $0.cells.first == "bold-river-2207" })
        shell.press(.enter)
        #expect(shell.select { $0.cells.count > 1 && $0.cells[1] == "echo" })
        shell.press(.character("y"))
        guard case .text(_, let lines, _) = shell.app.mode else {
            Issue.record("y shows nothing")
            return
        }
        #expect(lines.contains { $0.contains("\"id\" : \"echo\"") }, "\(lines)")
        shell.press(.escape)
        // A provider's inspector answers too (its rows are about the provider).
        #expect(shell.select { $0.cells.count > 1 && $0.cells[1] == "nats-messaging" })
        shell.press(.enter)
        shell.press(.character("y"))
        guard case .text(_, let more, _) = shell.app.mode else {
            Issue.record("y in the inspector shows nothing")
            return
        }
        #expect(more.contains { $0.contains("\"id\" : \"nats-messaging\"") }, "\(more)")
    }

    /// A paused Events pane keeps its rows and the selection on the same entry while the live
    /// log goes on and wraps.
    @Test func pausedEventsSelectionSurvivesTheLogWrapping() {
        var shell = ShellDriver.twoHosts(eventLogCapacity: 8)
        shell.press(.character("7"))
        shell.press(.character("p"))
        shell.press(.character("j"))
        shell.press(.character("j"))
        let before = shell.view
        let selected = shell.selectedRow
        #expect(selected != nil)
        // Three more events: the live log (8 entries) is full and drops its oldest.
        #expect(shell.dashboard.state.eventLog.count == 6)
        shell.apply((0..<3).map { i in
            SnapshotWorld.event(.healthCheckStatus(HealthCheckEvent(hostID: Self.river, providerID: "nats-messaging")), source: Self.river,
                                at: 97 + Double(i))
        })
        #expect(shell.selectedRow?.cells == selected?.cells, "the selection moved to another entry")
        // Twenty more events: the live log (8 entries) wraps more than twice.
        shell.apply((0..<20).map { i in
            SnapshotWorld.event(.healthCheckStatus(HealthCheckEvent(hostID: Self.river, providerID: "nats-messaging")), source: Self.river,
                                at: 100 + Double(i))
        })
        let after = shell.view
        #expect(after.rows.map(\.id) == before.rows.map(\.id))
        #expect(after.rows.map(\.cells) == before.rows.map(\.cells))
        #expect(shell.selectedRow?.cells == selected?.cells)
        #expect(shell.selectedRow?.id == selected?.id)
    }
}

/// The UI loop's per-key steps without a terminal: build the pane as shown, keep the selection
/// on its row, hand the key to `AppState`, and carry out the effects the loop carries out
/// itself (raw JSON, pause).
struct ShellDriver {
    var dashboard: Dashboard
    var app = AppState()
    var now = SnapshotWorld.now
    let visibleRows = 30

    /// Two live 1.x hosts: misty-forest (two components, one provider) and bold-river (three
    /// components, three providers).
    static func twoHosts(eventLogCapacity: Int = 1000) -> ShellDriver {
        var dashboard = Dashboard(state: LatticeState(configuration: LatticeStateConfiguration(eventLogCapacity: eventLogCapacity)),
                                  lattice: "default", server: "nats://127.0.0.1:4222", context: nil)
        dashboard.timeZone = SnapshotWorld.utc
        var inputs: [LatticeInput] = [.connection(.connected(server: "nats://127.0.0.1:4222"), at: SnapshotWorld.at(0))]
        inputs += SnapshotWorld.sync(1, at: 5, hosts: [SnapshotWorld.mistySpec(uptime: 3600), SnapshotWorld.riverSpec(uptime: 115)])
        for (i, p) in SnapshotWorld.riverProviders.enumerated() {
            inputs.append(SnapshotWorld.event(.providerStarted(ProviderStartedEvent(hostID: SnapshotWorld.riverHost, imageRef: p.imageRef!,
                                                                                    providerID: p.id, annotations: p.annotations ?? [:])),
                                              source: SnapshotWorld.riverHost, at: 6 + Double(i)))
        }
        inputs.append(.tick(SnapshotWorld.now))
        dashboard.apply(inputs)
        return ShellDriver(dashboard: dashboard)
    }

    mutating func apply(_ inputs: [LatticeInput]) { dashboard.apply(inputs) }

    /// The pane as the loop shows it.
    var view: PaneView {
        mutating get {
        dashboard.freezeEvents(app.paused.contains(.events))
        return dashboard.view(for: app.pane, drill: app.drill, now: now, paused: app.paused.contains(app.pane), revealed: app.revealed)
            .arranged(filter: app.filters[app.pane], sort: app.sorts[app.pane])
        }
    }

    var selectedRow: PaneRow? {
        mutating get {
        var copy = app
        let v = view
        copy.reconcileSelection(v, visibleRows: visibleRows)
        return copy.tables[copy.pane]?.selected.flatMap { v.rows.indices.contains($0) ? v.rows[$0] : nil }
        }
    }

    /// Selects the first row that satisfies `match`, as the cursor keys would.
    mutating func select(_ match: (PaneRow) -> Bool) -> Bool {
        let v = view
        guard let i = v.rows.firstIndex(where: match) else { return false }
        app.tables[app.pane] = TableState(selected: i)
        app.selectedIDs[app.pane] = v.rows[i].id
        return true
    }

    mutating func press(_ key: Key) {
        let v = view
        app.reconcileSelection(v, visibleRows: visibleRows)
        for effect in app.handle(.key(key), view: v, visibleRows: visibleRows, now: now, lattice: dashboard.state) {
            if case .showRawJSON(let item) = effect { app.showRaw(item, lines: dashboard.rawJSON(item)) }
        }
    }
}
