import Foundation
import LatticeProtocol
import LatticeSpy
import TerminalUI

/// The Spy pane: live wRPC calls with their outcome and latency, a message's detail, and the
/// per-operation table.
extension Dashboard {
    func spyView(_ spy: SpyCapture?, scope: String, drill: DrillTarget?, now: Date) -> PaneView {
        guard let spy else {
            return PaneView(title: "Spy", columns: [TableColumn("")], rows: [],
                            emptyMessage: "starting the spy… (:spy COMPONENT_ID spies on one component)")
        }
        switch drill {
        case .spyMessage(let sequence)?: return spyDetail(spy, sequence: sequence)
        case .spyOperations?: return spyOperations(spy, scope: scope)
        default: break
        }
        let snapshot = spy.snapshot(limit: 2000)
        let columns = [TableColumn("TIME", width: .fixed(12)), TableColumn("FROM → TO", width: .min(30)),
                       TableColumn("OPERATION", width: .min(24)), TableColumn("LINK", width: .fixed(8)),
                       TableColumn("SIZE", width: .fixed(7), alignment: .right), TableColumn("PREVIEW", width: .flex(weight: 2)),
                       TableColumn("RESULT", width: .min(14))]
        let rows = snapshot.messages.reversed().map { m -> PaneRow in
            let role: ThemeRole? = m.outcome.isError ? .unhealthy : (m.outcome == .ok ? nil : .dim)
            return PaneRow(
                id: "spy/\(m.sequence)",
                cells: [SpyTextFormat.clock(m.time), "\(m.source ?? "?") → \(m.target)", m.operation, m.linkName,
                        SpyTextFormat.size(m.size), SpyTextFormat.preview(m.preview, width: 48), SpyTextFormat.outcome(m)],
                cellRoles: [nil, nil, nil, nil, nil, .dim, role],
                drill: .spyMessage(m.sequence))
        }
        let rate = snapshot.messagesPerSecond.last ?? 0
        let spark = Sparkline.string(snapshot.messagesPerSecond.map(Double.init), width: 20)
        var title = "Spy \(scope) — \(rate) msg/s \(spark) — \(snapshot.counters.invocations) calls, \(snapshot.pendingCalls) pending"
        // Every message the subscriptions were sent: captured (read by the spy) or dropped.
        title += " — \(snapshot.counters.received) captured, \(snapshot.counters.subscriptionDropped) dropped"
        if snapshot.isPaused { title += " — ⏸ paused" }
        return PaneView(title: title, columns: columns, rows: rows, emptyMessage: "no wRPC traffic yet")
    }

    private func spyDetail(_ spy: SpyCapture, sequence: UInt64) -> PaneView {
        let columns = [TableColumn("", width: .flex())]
        guard let m = spy.message(sequence: sequence) else {
            return PaneView(title: "Spy message \(sequence)", columns: columns, rows: [], emptyMessage: "message no longer in the buffer")
        }
        var lines = ["time       \(SpyTextFormat.clock(m.time))", "subject    \(m.subject)", "from → to  \(m.source ?? "?") → \(m.target)",
                     "operation  \(m.operation)", "link       \(m.linkName)", "size       \(SpyTextFormat.size(m.size))",
                     "result     \(SpyTextFormat.outcome(m))", ""]
        if let d = spy.detail(sequence: sequence) {
            lines.append("headers")
            for (k, v) in d.headers.sorted(by: { $0.key < $1.key }) { lines.append("  \(k): \(v.joined(separator: ", "))") }
            lines.append("")
            if let json = try? JSONSerialization.jsonObject(with: d.payload, options: [.fragmentsAllowed]),
               let pretty = try? JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys, .fragmentsAllowed]) {
                lines.append("payload (JSON)")
                lines += String(decoding: pretty, as: UTF8.self).components(separatedBy: "\n").map { "  " + $0 }
                lines.append("")
            }
            lines.append("payload (\(d.payload.count) bytes, hex | text)")
            lines += Self.hexDump(d.payload)
        } else {
            lines.append("payload preview (full payload kept only for the most recent messages)")
            lines.append("  " + m.preview.rendered)
        }
        return PaneView(title: "Spy message \(sequence)", columns: columns,
                        rows: lines.enumerated().map { PaneRow(id: "l\($0.offset)", cells: [$0.element]) })
    }

    private func spyOperations(_ spy: SpyCapture, scope: String) -> PaneView {
        let snapshot = spy.snapshot(limit: 0)
        let columns = [TableColumn("OPERATION", width: .flex(weight: 3)), TableColumn("CALLS", width: .fixed(8), alignment: .right),
                       TableColumn("ERRORS", width: .fixed(7), alignment: .right), TableColumn("P50", width: .fixed(9), alignment: .right),
                       TableColumn("P99", width: .fixed(9), alignment: .right)]
        let rows = snapshot.operations.map { o in
            PaneRow(id: o.operation, cells: [o.operation, String(o.calls), String(o.errors),
                                             o.p50.map(SpyTextFormat.latency) ?? "-", o.p99.map(SpyTextFormat.latency) ?? "-"],
                    cellRoles: [nil, nil, o.errors > 0 ? .unhealthy : nil])
        }
        return PaneView(title: "Spy \(scope) — operations", columns: columns, rows: rows, emptyMessage: "no calls yet")
    }

    static func hexDump(_ data: Data, limit: Int = 4096) -> [String] {
        var out: [String] = []
        let bytes = [UInt8](data.prefix(limit))
        for start in stride(from: 0, to: bytes.count, by: 16) {
            let chunk = bytes[start..<min(start + 16, bytes.count)]
            let hex = chunk.map { String(format: "%02x", $0) }.joined(separator: " ")
            let text = String(chunk.map { (0x20...0x7e).contains($0) ? Character(UnicodeScalar($0)) : "." })
            out.append(String(format: "  %06x  ", start) + hex.padding(toLength: 48, withPad: " ", startingAt: 0) + "  " + text)
        }
        if data.count > limit { out.append("  … \(data.count - limit) more bytes") }
        return out
    }
}
