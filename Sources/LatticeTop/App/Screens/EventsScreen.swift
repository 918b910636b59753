import Foundation
import LatticeProtocol
import LatticeSpy
import LatticeState
import TerminalUI

extension PaneID {
    public static let events = PaneID("events")
}

extension ScreenKind {
    public static let events = ScreenKind("events")
}

struct EventsScreen: ScreenSpec {
    static let kind = ScreenKind.events
    static let pane = PaneSpec(id: .events, title: "Events", commandNames: ["events", "event", "ev"], screen: EventsScreen.self)
    static var pausable: Bool { true }

    static func build(_ drill: DrillTarget?, in c: ViewContext) -> PaneView {
        c.model.eventsView(paused: c.paused)
    }
}

extension Dashboard {
    func eventsView(paused: Bool) -> PaneView {
        let columns = [TableColumn("TIME", width: .fixed(8)), TableColumn("", width: .fixed(1)), TableColumn("HOST", width: .min(17)),
                       TableColumn("KIND", width: .fixed(22)), TableColumn("SUMMARY", width: .flex(weight: 6, minimum: 20))]
        let (entries, base) = (paused ? frozenEvents : nil) ?? (state.eventLog.elements, state.eventLog.totalAppended - state.eventLog.count)
        let rows = entries.enumerated().reversed().map { i, e -> PaneRow in
            if e.kind == LatticeState.liveMarkerKind {
                // Where live events begin: replayed history below it, live above.
                var row = PaneRow(id: "event/\(base + i)", cells: [ClockText.format(e.time, timeZone: timeZone), "", "", e.kind, e.summary],
                                  role: .title, item: .event(base + i), sortKeys: [0: .number(e.time.timeIntervalSince1970)])
                row.keptByFilters = true
                return row
            }
            let (glyph, role): (String, ThemeRole?) = {
                switch e.severity {
                case .error: return ("✖", .unhealthy)
                case .warning: return ("⚠", .warning)
                case .info: return ("·", nil)
                case .debug: return (" ", .dim)
                }
            }()
            return PaneRow(id: "event/\(base + i)", cells: [ClockText.format(e.time, timeZone: timeZone), glyph, e.hostID.map(hostName) ?? "", e.kind, e.summary],
                           role: e.severity == .debug ? .dim : nil, cellRoles: [nil, role, nil, nil, role], drill: nil, item: .event(base + i),
                           sortKeys: [0: .number(e.time.timeIntervalSince1970)])
        }
        var title = "Events"
        if state.counters.decodeErrors > 0 { title += " — \(state.counters.decodeErrors) malformed" }
        if !state.counters.unknownEventTypes.isEmpty { title += " — \(state.counters.unknownEventTypes.values.reduce(0, +)) unknown type" }
        if state.counters.droppedTotal > 0 { title += " — \(state.counters.droppedTotal) dropped" }
        if state.counters.superseded > 0 { title += " — \(state.counters.superseded) superseded" }
        return PaneView(title: title, columns: columns, rows: rows, emptyMessage: "no events yet")
    }
}
