import Testing
@testable import TerminalUI

/// A whole screen composed from the widgets, presented to the in-memory backend at 90×24 and compared
/// with the expected text, as panes will be tested.
@Suite struct ScreenSnapshotTests {
    static func composeScreen(size: Size, theme: Theme, selected: Int) -> Canvas {
        var canvas = Canvas(size: size, style: theme[.normal])
        var (header, rest) = canvas.bounds.splitTop(1)
        canvas.fill(header, style: theme[.header])
        canvas.put(" latticetop", at: header.origin, style: theme[.header])
        canvas.text("lattice: default  nats://127.0.0.1:4222 ", at: Point(x: header.maxX - 40, y: header.y),
                    maxWidth: 40, style: theme[.header], alignment: .right)
        let tabs: Rect
        (tabs, rest) = rest.splitTop(1)
        TabBar(tabs: ["Hosts(2)", "Components(3)", "Providers(1)", "Links", "Config", "Apps", "Events"], selected: 1)
            .render(in: tabs, on: &canvas, theme: theme)
        let (body, footer) = rest.splitBottom(2)
        let panel = Panel(title: "Components(3)", trailingTitle: "/http")
        panel.render(in: body, on: &canvas, theme: theme)
        let table = Table(
            columns: [TableColumn("NAME", width: .min(12)), TableColumn("HOST", width: .fixed(10)),
                      TableColumn("SCALE", width: .fixed(5), alignment: .right), TableColumn("STATUS", width: .fixed(9)),
                      TableColumn("IMAGE", width: .flex(weight: 2))],
            rows: [
                TableRow(["http-hello", "NBZ3…QX", "4", "Running", "ghcr.io/wasmcloud/components/http-hello-world-rust:0.1.0"],
                         cellRoles: [nil, nil, nil, .healthy]),
                TableRow(["kv-counter", "NBZ3…QX", "1", "Failed", "ghcr.io/wasmcloud/components/http-keyvalue-counter-rust:0.1.0"],
                         role: .unhealthy),
                TableRow(["漢字-echo\u{1B}[2J", "NC7Y…2K", "12", "Running", "localhost:5000/echo:dev"],
                         cellRoles: [nil, nil, nil, .healthy]),
            ],
            state: TableState(selected: selected), sortColumn: 0)
        table.render(in: panel.contentArea(of: body), on: &canvas, theme: theme)
        let (flash, hints) = footer.splitTop(1)
        FlashLine("scaled http-hello to 4 instances", kind: .info).render(in: flash, on: &canvas, theme: theme)
        HintBar(items: [.init(key: "enter", label: "Describe"), .init(.ctrl("d"), "Delete"), .init(key: "s", label: "Scale"),
                        .init(key: "/", label: "Filter"), .init(key: ":", label: "Command"), .init(key: "?", label: "Help"),
                        .init(key: "q", label: "Quit"), .init(key: "shift-l", label: "Logs")])
            .render(in: hints, on: &canvas, theme: theme)
        return canvas
    }

    @Test func composedScreenAt90x24() {
        let backend = MemoryBackend(width: 90, height: 24)
        backend.present(Self.composeScreen(size: backend.size, theme: .default, selected: 0))
        let expected = """
             latticetop                                       lattice: default  nats://127.0.0.1:4222
             Hosts(2)   Components(3)   Providers(1)   Links   Config   Apps   Events
            ┌──────────────────────────────────── Components(3) ───────────────────────────── /http ─┐
            │NAME↑                        HOST       SCALE STATUS    IMAGE                           │
            │http-hello                   NBZ3…QX        4 Running   ghcr.io/wasmcloud/components/ht…│
            │kv-counter                   NBZ3…QX        1 Failed    ghcr.io/wasmcloud/components/ht…│
            │漢字-echo␛[2J                NC7Y…2K       12 Running   localhost:5000/echo:dev         │
            │                                                                                        │
            │                                                                                        │
            │                                                                                        │
            │                                                                                        │
            │                                                                                        │
            │                                                                                        │
            │                                                                                        │
            │                                                                                        │
            │                                                                                        │
            │                                                                                        │
            │                                                                                        │
            │                                                                                        │
            │                                                                                        │
            │                                                                                        │
            └────────────────────────────────────────────────────────────────────────────────────────┘
             scaled http-hello to 4 instances
            <enter> Describe  <ctrl-d> Delete  <s> Scale  </> Filter  <:> Command  <?> Help  …
            """
        let actual = backend.lines().joined(separator: "\n")
        #expect(actual == expected)
        #expect(backend.frameCount == 1)
        #expect(backend.lastFrameCells == 90 * 24 - 2)   // two wide characters each cover two cells

        let selectedRow = backend.screen[1, 4].style
        #expect(selectedRow == Theme.default[.selectedRow])
        #expect(backend.screen[1, 5].style == Theme.default[.unhealthy])
        #expect(backend.screen[35, 4].style == Theme.default[.selectedRow])
        #expect(backend.screen[47, 6].style == Theme.default[.healthy])
    }

    @Test func movingTheSelectionRewritesOnlyTwoRows() {
        let backend = MemoryBackend(width: 90, height: 24)
        backend.present(Self.composeScreen(size: backend.size, theme: .default, selected: 0))
        backend.present(Self.composeScreen(size: backend.size, theme: .default, selected: 1))
        #expect(backend.frameCount == 2)
        #expect(backend.lastFrameCells <= 2 * 88)
        backend.present(Self.composeScreen(size: backend.size, theme: .default, selected: 1))
        #expect(backend.frameCount == 2)   // identical frame: nothing written
    }

    @Test func everyShippedThemeAndDepthRenders() throws {
        for name in ThemeTests.shippedThemes {
            let theme = try ThemeLoader.load(file: ThemeTests.themesDirectory + "/" + name + ".yaml")
            for depth in ColorDepth.allCases {
                let canvas = Self.composeScreen(size: Size(width: 90, height: 24), theme: theme.downgraded(to: depth), selected: 0)
                #expect(canvas.lines()[2].contains("Components(3)"))
                if depth == .noColor {   // the selection must stay visible without colour
                    #expect(canvas[1, 4].style.attributes.contains(.reverse), "\(name)")
                }
            }
        }
    }
}
