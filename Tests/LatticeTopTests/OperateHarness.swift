import Foundation
import LatticeClient
import LatticeMonitor
import LatticeProtocol
import LatticeSim
import LatticeState
import TerminalUI
@testable import LatticeTop

/// The dashboard's pipeline without a terminal, against the simulator on a real nats-server:
/// keys go through `AppState` as the UI loop sends them; `mutate` effects run through the
/// `MutationRunner` and their outcomes come back to `AppState.receive` (with any follow-up);
/// `E` runs a scripted editor; the monitor's inputs are folded into the `Dashboard`. Every effect
/// is recorded, so a test can say that nothing was sent.
final class OperateHarness: @unchecked Sendable {
    let fixture: LatticeFixture
    let monitor: LatticeMonitor
    let runner: MutationRunner
    var dashboard: Dashboard
    var app: AppState
    private(set) var effects: [AppEffect] = []
    /// What `E` does to the text it is handed (nil: `E` is not expected).
    var editor: ((String) -> Result<String, ExternalEditor.Failure>)?
    /// What the scripted editor was handed, in order.
    private(set) var edited: [String] = []

    init(readOnly: Bool = false, eventTimeout: Duration = .seconds(3), clientTimeout: Duration = .seconds(3)) async throws {
        fixture = try await LatticeFixture(.fast(hosts: 2))
        var client = fixture.client
        client.timeout = clientTimeout
        monitor = LatticeMonitor(client: client, configuration: MonitorConfiguration(resyncInterval: .seconds(600)))
        try await monitor.start()
        runner = MutationRunner(client: client, eventTimeout: eventTimeout)
        dashboard = Dashboard(lattice: "default", server: fixture.server.url, context: nil)
        app = AppState(readOnly: readOnly)
    }

    /// Runs `body` with a harness and shuts it down afterwards, also when `body` throws (a
    /// shutdown left to a detached task may never run when the test process ends, leaving the
    /// nats-server behind).
    static func run(readOnly: Bool = false, eventTimeout: Duration = .seconds(3), clientTimeout: Duration = .seconds(3),
                    _ body: (OperateHarness) async throws -> Void) async throws {
        let h = try await OperateHarness(readOnly: readOnly, eventTimeout: eventTimeout, clientTimeout: clientTimeout)
        do {
            try await body(h)
        } catch {
            await h.shutdown()
            throw error
        }
        await h.shutdown()
    }

    func shutdown() async {
        await monitor.stop()
        await fixture.shutdown()
    }

    var simulator: LatticeSimulator { fixture.simulator }
    var state: LatticeState { dashboard.state }

    /// Folds in what the monitor has delivered.
    func drain() {
        dashboard.apply(monitor.inputs.drain())
    }

    /// Drains until `condition` holds on the dashboard (10 s at most).
    @discardableResult
    func waitUntil(timeout: Duration = .seconds(10), _ condition: (Dashboard) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            drain()
            if condition(dashboard) { return true }
            try? await Task.sleep(for: .milliseconds(40))
        }
        drain()
        return condition(dashboard)
    }

    /// The pane as shown now.
    var view: PaneView {
        dashboard.view(for: app.pane, drill: app.drill, now: Date(), paused: false, revealed: app.revealed)
            .arranged(filter: app.filters[app.pane], sort: app.sorts[app.pane])
    }

    /// Selects the first row whose cells satisfy `match` (as the cursor keys would).
    func select(_ match: ([String]) -> Bool) -> Bool {
        let v = view
        guard let i = v.rows.firstIndex(where: { match($0.cells) }) else { return false }
        app.tables[app.pane] = TableState(selected: i)
        app.selectedIDs[app.pane] = v.rows[i].id
        return true
    }

    /// Presses keys one by one, carrying out what they ask to the end (a mutation's outcome
    /// included).
    func press(_ keys: Key...) async {
        for key in keys { await handle(.key(key)) }
    }

    /// Types text into whatever has the focus.
    func type(_ text: String) async {
        for c in text { await handle(.key(.character(c))) }
    }

    private func handle(_ event: InputEvent) async {
        drain()
        let v = view
        app.reconcileSelection(v, visibleRows: 30)
        await carryOut(app.handle(event, view: view, visibleRows: 30, now: Date(), lattice: dashboard.state))
    }

    private func carryOut(_ list: [AppEffect]) async {
        for effect in list {
            effects.append(effect)
            switch effect {
            case .mutate(let id, let actions):
                let outcomes = await runner.run(actions)
                // As the dashboard's effects task does: re-read what the change touched.
                await monitor.reread(after: outcomes)
                drain()
                await carryOut(app.receive(outcomes, id: id, now: Date()))
            case .editConfigInEditor(let session):
                app.runConfigEditor(session, state: dashboard.state, now: { Date() }) { text in
                    edited.append(text)
                    return editor?(text) ?? .failure(ExternalEditor.Failure(description: "no editor in this test"))
                }
            default:
                break
            }
        }
    }

    /// The actions sent so far.
    var sent: [OperateAction] {
        effects.flatMap { if case .mutate(_, let actions) = $0 { return actions } else { return [] } }
    }

    /// The open form, if any.
    var form: FormState? {
        if case .form(let f) = app.mode { return f.form }
        return nil
    }

    /// The open confirm, if any.
    var confirm: ConfirmState? {
        if case .confirm(let c) = app.mode { return c }
        return nil
    }
}

extension LatticeFixture {
    /// Runs `body` with a fixture and shuts it down afterwards, also when `body` throws.
    static func using(_ configuration: SimulatorConfiguration = .fast(), startSimulator: Bool = true,
                      _ body: (LatticeFixture) async throws -> Void) async throws {
        let f = try await LatticeFixture(configuration, startSimulator: startSimulator)
        do {
            try await body(f)
        } catch {
            await f.shutdown()
            throw error
        }
        await f.shutdown()
    }
}
