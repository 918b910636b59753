import Foundation
import LatticeState
import TerminalUI
import Testing
@testable import LatticeTop

/// The Config pane as a user sees it: masked values and `x`.
@Suite struct ConfigPaneTests {
    static func dashboard() -> Dashboard {
        var d = Dashboard(lattice: "default", server: "nats://x", context: nil)
        let at = Date(timeIntervalSince1970: 1_000)
        d.apply([.syncStarted(id: 1, at: at),
                 .configs(["db": ["host": "pg", "password": "hunter2", "api_token": "t0k"], "plain": ["a": "b"]], syncID: 1, at: at)])
        return d
    }

    func press(_ key: Key, _ app: inout AppState, _ d: Dashboard) {
        let view = d.view(for: app.pane, drill: app.drill, now: Date(), paused: false, revealed: app.revealed)
        _ = app.handle(.key(key), view: view, visibleRows: 20, now: Date())
    }

    func cells(_ app: AppState, _ d: Dashboard) -> [[String]] {
        d.view(for: app.pane, drill: app.drill, now: Date(), paused: false, revealed: app.revealed).rows.map(\.cells)
    }

    @Test func xRevealsOneValueInTheDetailAndAllOfAConfigInTheList() {
        let d = Self.dashboard()
        var app = AppState()
        app.pane = .config
        #expect(cells(app, d)[0][2] == "api_token=•••••• host=pg password=••••••")
        // In the list, x shows the selected config's values; again hides them.
        press(.character("x"), &app, d)
        #expect(cells(app, d)[0][2] == "api_token=t0k host=pg password=hunter2")
        press(.character("x"), &app, d)
        #expect(cells(app, d)[0][2] == "api_token=•••••• host=pg password=••••••")
        // In the detail, x shows only the selected value.
        press(.enter, &app, d)
        #expect(cells(app, d) == [["api_token", "••••••"], ["host", "pg"], ["password", "••••••"]])
        press(.character("j"), &app, d)
        press(.character("j"), &app, d)
        press(.character("x"), &app, d)
        #expect(cells(app, d) == [["api_token", "••••••"], ["host", "pg"], ["password", "hunter2"]])
        #expect(app.flash?.message == "showing db password (x hides)")
    }

    @Test func xIsNotAMutationSoReadOnlyKeepsIt() {
        #expect(KeyTable.binding(for: .character("x"), in: .configs, readOnly: true)?.command == .revealSecret)
        #expect(KeyTable.binding(for: .character("x"), in: .links, readOnly: false) == nil)
    }
}
