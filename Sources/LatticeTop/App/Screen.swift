import Foundation
import TerminalUI

/// Draws the whole screen from values: header, pane tabs, an optional banner, the pane's table
/// (or an overlay), the flash/input line and the hint bar. Pure: same inputs, same canvas.
public enum Screen {
    public static let minimumSize = Size(width: 40, height: 8)
    /// Separates what happened from the wash command in a result line (`MutationOutcome.resultLine`).
    static let resultSeparator = "  │  "


    /// The table rows visible for a screen of `size` (what paging moves by): all but the header,
    /// tabs, banner, the panel's two borders, the table's header, the flash line and the hints.
    public static func visibleRows(size: Size, banner: Bool) -> Int {
        max(1, size.height - 7 - (banner ? 1 : 0))
    }

    public static func render(app: AppState, header: HeaderInfo, view: PaneView, size: Size, theme: Theme, now: Date) -> Canvas {
        var canvas = Canvas(size: size, style: theme[.normal])
        guard size.width >= minimumSize.width, size.height >= minimumSize.height else {
            // One line when it fits, else one part per line (a 20×5 terminal shows all three).
            let parts = ["terminal too small", "(\(size.width)×\(size.height); need \(minimumSize.width)×\(minimumSize.height))", "q quits"]
            let lines = size.width >= DisplayWidth.of(parts.joined(separator: " ")) ? [parts.joined(separator: " ")] : parts
            for (y, line) in lines.enumerated() where y < size.height {
                canvas.text(line, at: Point(x: 0, y: y), maxWidth: size.width, style: theme[.warning])
            }
            return canvas
        }
        var y = 0
        drawHeader(header, app: app, on: &canvas, y: y, width: size.width, theme: theme)
        y += 1
        TabBar(tabs: PaneID.allCases.map { "\($0.number) \($0.title)" }, selected: app.pane.number - 1)
            .render(in: Rect(x: 0, y: y, width: size.width, height: 1), on: &canvas, theme: theme)
        y += 1
        if let banner = header.banner {
            canvas.fill(Rect(x: 0, y: y, width: size.width, height: 1), style: theme[.banner])
            canvas.text(banner, at: Point(x: 1, y: y), maxWidth: size.width - 2, style: theme[.banner])
            y += 1
        }
        let body = Rect(x: 0, y: y, width: size.width, height: size.height - y - 2)
        drawBody(app: app, view: view, in: body, on: &canvas, theme: theme)
        drawBottom(app: app, on: &canvas, size: size, theme: theme, now: now)
        return canvas
    }

    static func drawHeader(_ h: HeaderInfo, app: AppState, on canvas: inout Canvas, y: Int, width: Int, theme: Theme) {
        let style = theme[.header]
        canvas.fill(Rect(x: 0, y: y, width: width, height: 1), style: style)
        // Most important first (what is cut on a narrow screen is the end).
        var parts = ["latticetop"]
        if let travel = h.travel { parts.insert(travel, at: 0) }
        if let ctx = h.context { parts.append("ctx \(ctx)") }
        parts.append("lattice \(h.lattice)")
        // The server, in every state (which one is lost matters as much as which one is connected).
        func connection(_ server: String) -> String {
            var conn = "\(h.connected ? "●" : "○") \(h.connection)"
            if !server.isEmpty { conn += " " + server }
            if let rtt = h.rttMilliseconds, h.connected { conn += String(format: " %.1fms", rtt) }
            return conn
        }
        parts.append(connection(HeaderInfo.serverName(h.server)))
        let connectionIndex = parts.count - 1
        if let syncing = h.syncing { parts.append(syncing) }
        if app.readOnly { parts.append("READ-ONLY") }
        parts.append(h.unhealthy > 0 ? "✖ \(h.unhealthy) unhealthy" : "✔ all healthy")
        parts.append("hosts \(h.hosts)  comps \(h.components)  provs \(h.providers)  links \(h.links)")
        parts.append(String(format: "%.0f msg/s", h.messagesPerSecond))
        // Too wide: the product name goes, then the server name is abbreviated (and what still
        // does not fit is cut at the end).
        if DisplayWidth.of(parts.joined(separator: " │ ")) > width, let name = parts.firstIndex(of: "latticetop") {
            parts.remove(at: name)
            if DisplayWidth.of(parts.joined(separator: " │ ")) > width {
                parts[connectionIndex - 1] = connection(HeaderInfo.abbreviatedServerName(h.server))
            }
        }
        var x = 0
        for (i, part) in parts.enumerated() {
            let sep = i == 0 ? "" : " │ "
            let role: ThemeRole? = part.hasPrefix("✖") ? .unhealthy : (part.hasPrefix("○") || part.hasPrefix("⏪") ? .warning : nil)
            x = canvas.put(sep, at: Point(x: x, y: y), style: style)
            x = canvas.put(part, at: Point(x: x, y: y), style: role.map { theme[$0].over(style) } ?? style)
            if x >= width { break }
        }
    }

    static func drawBody(app: AppState, view: PaneView, in area: Rect, on canvas: inout Canvas, theme: Theme) {
        switch app.mode {
        case .help(let offset):
            let lines = helpLines(app)
            let panel = Panel(title: "Help — keys for \(app.pane.title)")
            panel.render(in: area, on: &canvas, theme: theme)
            let inner = panel.contentArea(of: area)
            TextView(lines: lines, offset: min(offset, max(0, lines.count - inner.height))).render(in: inner, on: &canvas, theme: theme)
        case .text(let title, let lines, let offset):
            let panel = Panel(title: title)
            panel.render(in: area, on: &canvas, theme: theme)
            let inner = panel.contentArea(of: area)
            TextView(lines: lines, offset: min(offset, max(0, lines.count - inner.height))).render(in: inner, on: &canvas, theme: theme)
        case .form(let f):
            drawTable(app: app, view: view, in: area, on: &canvas, theme: theme)
            FormView(f.form).render(in: area, on: &canvas, theme: theme)
        case .confirm(let c):
            drawTable(app: app, view: view, in: area, on: &canvas, theme: theme)
            c.dialog.render(in: area, on: &canvas, theme: theme)
        default:
            drawTable(app: app, view: view, in: area, on: &canvas, theme: theme)
        }
    }

    static func drawTable(app: AppState, view: PaneView, in area: Rect, on canvas: inout Canvas, theme: Theme) {
        var title = view.title + " (\(view.rows.count))"
        if let f = app.filters[app.pane], !f.isEmpty { title += " /\(f.text)" }
        if app.paused.contains(app.pane) { title += " ⏸ paused" }
        let panel = Panel(title: title)
        panel.render(in: area, on: &canvas, theme: theme)
        let inner = panel.contentArea(of: area)
        let sort = app.sorts[app.pane]
        let (columns, shown) = readableColumns(view.columns, width: inner.width)
        // Only the rows on screen become table rows (a pane may hold tens of thousands).
        let state = app.tables[app.pane] ?? TableState(selected: view.rows.isEmpty ? nil : 0)
        let visible = max(0, inner.height - 1)
        let offset = state.visibleOffset(rowCount: view.rows.count, visibleRows: visible)
        let window = view.rows[offset..<min(view.rows.count, offset + visible)]
        let table = Table(
            columns: columns,
            rows: window.map { row in
                TableRow(shown.map { row.text($0, at: view.agesAt) }, role: row.role,
                         cellRoles: shown.map { $0 < row.cellRoles.count ? row.cellRoles[$0] : nil })
            },
            state: TableState(selected: state.selected.map { min(max(0, $0), max(0, view.rows.count - 1)) - offset }, offset: 0),
            sortColumn: sort.flatMap { s in shown.firstIndex(of: s.column) }, sortAscending: sort?.ascending ?? true,
            emptyMessage: view.emptyMessage)
        table.render(in: inner, on: &canvas, theme: theme)
    }

    /// The columns laid out for `width`, without those that would be cut to an unreadable sliver
    /// (a fixed column that does not fit whole, a flexible one narrower than its minimum or than
    /// 6 cells): their room goes to the others. Returns fixed-width columns and the indices of
    /// the view's columns they show. The first column always stays.
    static func readableColumns(_ columns: [TableColumn], width: Int) -> ([TableColumn], [Int]) {
        var kept = Array(columns.indices)
        while true {
            let widths = TableColumn.layout(kept.map { columns[$0] }, totalWidth: width)
            let unreadable = kept.indices.filter { i in
                guard i > 0 else { return false }
                switch columns[kept[i]].width {
                case .fixed(let cells): return widths[i] < cells
                case .flex(_, let minimum): return widths[i] < (minimum > 0 ? min(minimum, 6) : 6)
                }
            }
            if unreadable.isEmpty {
                let fixed = zip(kept, widths).map { index, w in
                    TableColumn(columns[index].title, width: .fixed(w), alignment: columns[index].alignment)
                }
                return (fixed, kept)
            }
            for i in unreadable.reversed() { kept.remove(at: i) }
        }
    }

    static func drawBottom(app: AppState, on canvas: inout Canvas, size: Size, theme: Theme, now: Date) {
        let line = Rect(x: 0, y: size.height - 2, width: size.width, height: 1)
        switch app.mode {
        case .command(let text):
            canvas.fill(line, style: theme[.normal])
            canvas.text(":" + text + "▏", at: line.origin, maxWidth: size.width, style: theme[.normal])
        case .filter(let text):
            canvas.fill(line, style: theme[.normal])
            let valid = RowFilter(text).isValidRegex
            canvas.text("/" + text + "▏" + (valid ? "" : "   (not a valid regex: matching as text)"), at: line.origin,
                        maxWidth: size.width, style: theme[valid ? .normal : .warning])
        default:
            if let flash = app.flash, flash.until > now {
                // A result line too wide for one row puts its wash command on the hint bar's row
                // while it shows, so the command can be read (and copied) whole.
                if DisplayWidth.of(flash.message) > size.width - 2, let split = flash.message.range(of: resultSeparator) {
                    FlashLine(String(flash.message[..<split.lowerBound]), kind: flash.isError ? .error : .info)
                        .render(in: line, on: &canvas, theme: theme)
                    let command = Rect(x: 0, y: size.height - 1, width: size.width, height: 1)
                    canvas.fill(command, style: theme[.normal])
                    canvas.text(" " + String(flash.message[split.upperBound...]), at: command.origin, maxWidth: size.width, style: theme[.hintLabel])
                    return
                }
                FlashLine(flash.message, kind: flash.isError ? .error : .info).render(in: line, on: &canvas, theme: theme)
            }
        }
        HintBar(items: app.hints).render(in: Rect(x: 0, y: size.height - 1, width: size.width, height: 1), on: &canvas, theme: theme)
    }

    /// The `?` help: every key for this pane, from the key table.
    static func helpLines(_ app: AppState) -> [String] {
        var lines = ["Keys (\(app.readOnly ? "read-only: mutating keys are off" : "all keys"))", ""]
        func line(_ key: String, _ text: String) -> String { "  " + key.padding(toLength: 14, withPad: " ", startingAt: 0) + text }
        // The pane numbers and the time-travel keys are one line each.
        var panesListed = false, travelListed = false
        for b in app.bindings {
            switch b.command {
            case .showPane:
                guard !panesListed else { continue }
                panesListed = true
                lines.append(line("1-\(PaneID.allCases.count)", PaneID.allCases.map { "\($0.number) \($0.title)" }.joined(separator: "  ")))
            case .travel:
                guard !travelListed else { continue }
                travelListed = true
                lines.append(line("[ ] { }", "time travel: previous / next recorded change, a minute back / forward (esc or :live returns)"))
            default:
                lines.append(line(b.keyLabel, b.helpText ?? b.label))
            }
        }
        lines += ["", "Commands", ""]
        for pane in PaneID.allCases {
            lines.append("  :" + pane.commandNames[0].padding(toLength: 13, withPad: " ", startingAt: 0) + pane.title)
        }
        for (command, label) in [("spy ID", "spy on one component"), ("lattice NAME", "switch lattice"),
                                 ("ctx NAME", "switch wash context"), ("theme NAME", "switch theme"),
                                 ("at TIME", "the lattice as it was then (10:42, 10:42:03, -15m)"), ("live", "back to the present"),
                                 ("q", "quit")] {
            lines.append("  :" + command.padding(toLength: 13, withPad: " ", startingAt: 0) + label)
        }
        lines += ["",
                  "Filter: / then a regular expression (case-insensitive); a leading ! keeps rows that do not match."]
        lines += ModalKeys.helpLines
        return lines
    }
}
