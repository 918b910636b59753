import Testing
@testable import TerminalUI

@Suite struct TableTests {
    static let columns = [
        TableColumn("NAME", width: .flex(weight: 2, minimum: 4)),
        TableColumn("STATE", width: .fixed(7)),
        TableColumn("COUNT", width: .fixed(5), alignment: .right),
    ]

    static func rows(_ count: Int) -> [TableRow] {
        (0..<count).map { TableRow(["row-\($0)", $0 % 3 == 0 ? "Failed" : "Ok", "\($0)"]) }
    }

    @Test func columnLayout() {
        #expect(TableColumn.layout(Self.columns, totalWidth: 30) == [16, 7, 5])
        #expect(TableColumn.layout([TableColumn("A"), TableColumn("B", width: .flex(weight: 3))], totalWidth: 9) == [2, 6])
        #expect(TableColumn.layout([TableColumn("A", width: .min(6)), TableColumn("B")], totalWidth: 11) == [8, 2])
        // Not enough room: fixed widths and minimums are served left to right while room lasts.
        #expect(TableColumn.layout(Self.columns, totalWidth: 12) == [4, 6, 0])
        #expect(TableColumn.layout([], totalWidth: 10) == [])
    }

    @Test func rendersHeaderSortMarkerAndRows() {
        var canvas = Canvas(width: 24, height: 4)
        let table = Table(columns: Self.columns, rows: Self.rows(5), state: TableState(selected: 1),
                          sortColumn: 0, sortAscending: false)
        table.render(in: canvas.bounds, on: &canvas, theme: .default)
        #expect(canvas.lines() == [
            "NAME↓      STATE   COUNT",
            "row-0      Failed      0",
            "row-1      Ok          1",
            "row-2      Ok          2",
        ])
        #expect(canvas[0, 2].style == Theme.default[.selectedRow])
        #expect(canvas[23, 2].style == Theme.default[.selectedRow])   // the whole row
        #expect(canvas[0, 0].style == Theme.default[.tableHeader])
    }

    @Test func longCellsAreCutWithEllipsis() {
        var canvas = Canvas(width: 14, height: 2)
        let table = Table(columns: [TableColumn("ID", width: .fixed(6)), TableColumn("HOST")],
                          rows: [TableRow(["NABCDEFGHIJ", "漢字のホスト名"])])
        table.render(in: canvas.bounds, on: &canvas, theme: .default)
        #expect(canvas.lines()[1] == "NABCD… 漢字の…")
    }

    @Test func scrollingKeepsTheSelectionVisible() {
        var state = TableState()
        let visible = 5
        state.moveSelection(by: 1, rowCount: 100, visibleRows: visible)
        #expect(state.selected == 0 && state.offset == 0)
        state.select(7, rowCount: 100, visibleRows: visible)
        #expect(state.offset == 3)
        state.pageDown(rowCount: 100, visibleRows: visible)
        #expect(state.selected == 12 && state.offset == 8)
        state.moveSelection(by: -6, rowCount: 100, visibleRows: visible)
        #expect(state.selected == 6 && state.offset == 6)
        state.selectLast(rowCount: 100, visibleRows: visible)
        #expect(state.selected == 99 && state.offset == 95)
        state.moveSelection(by: 10, rowCount: 100, visibleRows: visible)
        #expect(state.selected == 99)
        state.selectFirst(rowCount: 100, visibleRows: visible)
        #expect(state.selected == 0 && state.offset == 0)
        state.select(50, rowCount: 100, visibleRows: visible)
        state.clamp(rowCount: 10, visibleRows: visible)   // rows filtered away
        #expect(state.selected == 9 && state.offset == 5)
        state.clamp(rowCount: 0, visibleRows: visible)
        #expect(state.selected == nil)
    }

    @Test func renderUsesTheVisibleOffsetEvenWhenStateIsStale() {
        var canvas = Canvas(width: 20, height: 4)
        let table = Table(columns: Self.columns, rows: Self.rows(50), state: TableState(selected: 40, offset: 0))
        table.render(in: canvas.bounds, on: &canvas, theme: .default)
        #expect(canvas.lines()[1].hasPrefix("row-38"))
        #expect(canvas.lines()[3].hasPrefix("row-40"))
        #expect(table.visibleRowCount(in: canvas.bounds) == 3)
    }

    @Test func rowAndCellRoles() {
        var canvas = Canvas(width: 20, height: 3)
        let rows = [TableRow(["a", "Failed", "1"], role: .stale, cellRoles: [nil, .unhealthy]),
                    TableRow(["b", "Ok", "2"], isMarked: true)]
        Table(columns: Self.columns, rows: rows).render(in: canvas.bounds, on: &canvas, theme: .default)
        #expect(canvas[0, 1].style == Theme.default[.stale])
        #expect(canvas[8, 1].style == Theme.default[.unhealthy])
        #expect(canvas[0, 2].style == Theme.default[.markedRow])
    }

    @Test func emptyTableShowsItsMessage() {
        var canvas = Canvas(width: 20, height: 3)
        Table(columns: Self.columns, rows: [], emptyMessage: "no hosts").render(in: canvas.bounds, on: &canvas, theme: .default)
        #expect(canvas.lines()[1] == "      no hosts")
    }

    @Test func tenThousandRowsRenderOnlyTheVisibleOnes() {
        let rows = (0..<10_000).map { index in
            TableRow(["component-\(index)", "host-\(index % 17)", "Running", "\(index * 3)", "wasmcloud.azurecr.io/x:\(index)"])
        }
        let columns = [TableColumn("NAME", width: .min(20)), TableColumn("HOST", width: .fixed(12)),
                       TableColumn("STATE", width: .fixed(9)), TableColumn("SCALE", width: .fixed(6), alignment: .right),
                       TableColumn("IMAGE", width: .flex(weight: 2))]
        var canvas = Canvas(width: 200, height: 60)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for selected in stride(from: 0, to: 10_000, by: 500) {
                Table(columns: columns, rows: rows, state: TableState(selected: selected))
                    .render(in: canvas.bounds, on: &canvas, theme: .default)
            }
        }
        #expect(canvas.lines()[59].hasPrefix("component-9500"))
        // 20 full frames; generous for debug builds (release is well under 4 ms a frame).
        #expect(elapsed < .seconds(4), "20 frames took \(elapsed)")
    }
}
