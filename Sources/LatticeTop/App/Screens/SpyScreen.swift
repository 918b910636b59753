import Foundation
import LatticeProtocol
import LatticeSpy
import LatticeState
import TerminalUI

extension PaneID {
    public static let spy = PaneID("spy")
}

extension ScreenKind {
    public static let spy = ScreenKind("spy")
}

/// The Spy pane: live wRPC calls with their outcome and latency (`enter`: one message's detail,
/// `o`: the per-operation table).
struct SpyScreen: ScreenSpec {
    static let kind = ScreenKind.spy
    static let pane = PaneSpec(id: .spy, title: "Spy", commandNames: ["spy"], screen: SpyScreen.self,
                               onShow: [.spy(componentID: nil)], onPause: { [.pauseSpy($0)] })
    static var keys: [KeyBinding] { KeyBinding.spyKeys }
    static var drillsDown: Bool { true }
    static var pausable: Bool { true }
    static var reads: ViewInputs { [.spy] }

    static func build(_ drill: DrillTarget?, in c: ViewContext) -> PaneView {
        c.model.spyView(c.spy)
    }
}

extension KeyBinding {
    static let spyKeys = [
        KeyBinding([.character("o")], "o", "operations", .spyOperations),
        KeyBinding([.character("w")], "w", "save NDJSON", .saveSpy),
    ]
}

extension Dashboard {
    /// The latest snapshot's messages, newest first, with the rate and counters in the title.
    func spyView(_ spy: SpyData?) -> PaneView {
        guard let spy else {
            return PaneView(title: "Spy", columns: [TableColumn("")], rows: [],
                            emptyMessage: "starting the spy… (:spy COMPONENT_ID spies on one component)")
        }
        let snapshot = spy.snapshot
        let columns = [TableColumn("TIME", width: .fixed(12)), TableColumn("FROM → TO", width: .min(30)),
                       TableColumn("OPERATION", width: .min(24)), TableColumn("LINK", width: .fixed(8)),
                       TableColumn("SIZE", width: .fixed(7), alignment: .right), TableColumn("PREVIEW", width: .flex(weight: 2)),
                       TableColumn("RESULT", width: .min(14))]
        let rows = snapshot.messages.reversed().map { m -> PaneRow in
            let role: ThemeRole? = m.outcome.isError ? .unhealthy : (m.outcome == .ok ? nil : .dim)
            return PaneRow(
                id: "spy/\(m.sequence)",
                cells: [ClockText.format(m.time, timeZone: timeZone, milliseconds: true), "\(m.source ?? "?") → \(m.target)", m.operation, m.linkName,
                        SpyTextFormat.size(m.size), SpyTextFormat.preview(m.preview, width: 48), SpyTextFormat.outcome(m)],
                cellRoles: [nil, nil, nil, nil, nil, .dim, role],
                drill: .spyMessage(m.sequence), item: .spyMessage(m.sequence),
                sortKeys: [0: .number(m.time.timeIntervalSince1970), 4: .number(m.size), 6: .number(m.latency.map(Self.seconds))])
        }
        let rate = snapshot.messagesPerSecond.last ?? 0
        let spark = Sparkline.string(snapshot.messagesPerSecond.map(Double.init), width: 20)
        var title = "Spy \(spy.scope) — \(rate) msg/s \(spark) — \(snapshot.counters.invocations) calls, \(snapshot.pendingCalls) pending"
        // Every message the subscriptions were sent: captured (read by the spy) or dropped.
        title += " — \(snapshot.counters.received) captured, \(snapshot.counters.subscriptionDropped) dropped"
        if snapshot.isPaused { title += " — ⏸ paused" }
        return PaneView(title: title, columns: columns, rows: rows, emptyMessage: "no wRPC traffic yet")
    }
}
