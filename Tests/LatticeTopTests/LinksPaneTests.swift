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
        #expect(cells.contains("wash: wash link put counter kvredis wasi keyvalue --interface store --interface atomics --target-config redis-url --link-name cache"))
        #expect(cells.contains("wash: wash link del counter wasi keyvalue --link-name cache"))
        // The keys act on the link that is open.
        _ = app.handle(.key(.character("e")), view: detail, visibleRows: 20, now: Date(), lattice: d.state)
        guard case .form(let f) = app.mode else { Issue.record("no form: \(app.mode)"); return }
        #expect(f.form.title == "Edit link" && f.form["link.source"] == "counter" && f.form["link.name"] == "cache")
    }

    @Test func helpAndHintsListTheLinkAndConfigKeysOnlyWhenNotReadOnly() {
        var app = AppState()
        app.pane = .links
        #expect(Screen.helpLines(app).contains { $0.contains("undo link change") })
        #expect(app.hints.contains { $0.key == "a" && $0.label == "add link" })
        app.pane = .config
        #expect(Screen.helpLines(app).contains { $0.contains("edit in $EDITOR") })
        app = AppState(readOnly: true)
        for pane in [PaneID.links, .config] {
            app.pane = pane
            let help = Screen.helpLines(app).joined(separator: "\n")
            for label in ["add link", "edit link", "delete link", "undo link change", "new config", "edit config", "edit in $EDITOR", "delete config"] {
                #expect(!help.contains(label))
                #expect(!app.hints.contains { $0.label == label })
            }
        }
        #expect(Screen.helpLines(app).contains { $0.contains("reveal/mask") })
    }
}
