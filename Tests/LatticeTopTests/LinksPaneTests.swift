import Foundation
import LatticeProtocol
import LatticeState
import TerminalUI
import Testing
@testable import LatticeTop

/// The Links pane as a user sees it (pure: a dashboard fed with inputs, keys through AppState).
@Suite struct LinksPaneTests {
    static func dashboard() -> Dashboard {
        var d = Dashboard(lattice: "default", server: "nats://x", context: nil)
        d.apply([.syncStarted(id: 1, at: Date(timeIntervalSince1970: 1_000))])
        d.state = LinkDraftTests.state()
        return d
    }

    @Test func enterOpensTheLinksWholeDefinition() {
        let d = Self.dashboard()
        var app = AppState()
        app.pane = .links
        let list = d.view(for: .links, drill: nil, now: Date(), paused: false)
        #expect(list.rows.map { $0.cells[0] } == ["counter", "httpserver"])
        _ = app.handle(.key(.enter), view: list, visibleRows: 20, now: Date())
        let detail = d.view(for: .links, drill: app.drill, now: Date(), paused: false)
        #expect(detail.title == "Link counter → kvredis wasi:keyvalue (cache)")
        let cells = detail.rows.map { "\($0.cells[0]): \($0.cells[1])" }
        #expect(cells.contains("WIT: wasi:keyvalue/store,atomics"))
        #expect(cells.contains("target config: redis-url"))
        #expect(cells.contains("source config: -"))
        #expect(cells.contains("findings: ✔ none"))
    }
}
