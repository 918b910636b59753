import Foundation
import LatticeProtocol
import LatticeSpy
import LatticeState
import TerminalUI

extension ScreenKind {
    public static let spyMessage = ScreenKind("spyMessage")
}

struct SpyMessageScreen: ScreenSpec {
    static let kind = ScreenKind.spyMessage
    static var keys: [KeyBinding] { KeyBinding.spyKeys }
    static var pausable: Bool { true }
    static var reads: ViewInputs { [.spy] }

    static func build(_ drill: DrillTarget?, in c: ViewContext) -> PaneView {
        c.model.spyDetail(c.spy, sequence: drill?.spySequence ?? 0)
    }
}

extension Dashboard {
    /// The message the loop asked the spy feed about (`SpyInterest.message`), from the snapshot.
    func spyDetail(_ spy: SpyData?, sequence: UInt64) -> PaneView {
        let columns = [TableColumn("", width: .flex())]
        guard let spy, let focus = spy.focus, focus.sequence == sequence else {
            return PaneView(title: "Spy message \(sequence)", columns: columns, rows: [], emptyMessage: "reading message \(sequence) from the spy…")
        }
        guard let m = focus.message else {
            return PaneView(title: "Spy message \(sequence)", columns: columns, rows: [], emptyMessage: "message no longer in the buffer")
        }
        var lines = ["time       \(ClockText.format(m.time, timeZone: timeZone, milliseconds: true))", "subject    \(m.subject)", "from → to  \(m.source ?? "?") → \(m.target)",
                     "operation  \(m.operation)", "link       \(m.linkName)", "size       \(SpyTextFormat.size(m.size))",
                     "result     \(SpyTextFormat.outcome(m))", ""]
        if let d = focus.detail {
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
                        rows: lines.enumerated().map { PaneRow(id: "l\($0.offset)", cells: [$0.element], item: .spyMessage(sequence)) })
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
