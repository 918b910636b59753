import Foundation
import LatticeProtocol

/// Pieces of a one-line rendering of a call, e.g.
/// `12:00:01.123  http-server → hello  wasi:http/incoming-handler@0.2.0.handle  link=default  142 B  "GET /…"  ✓ 3.2 ms`.
/// The text is NOT sanitised here: whoever prints it to a terminal must (network strings).
public enum SpyTextFormat {
    /// `142 B`, `1.5 KiB`, `3.0 MiB`.
    public static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1 << 20 { return String(format: "%.1f KiB", Double(bytes) / 1024) }
        return String(format: "%.1f MiB", Double(bytes) / Double(1 << 20))
    }

    /// `850 µs`, `3.2 ms`, `142 ms`, `1.25 s`.
    public static func latency(_ d: Duration) -> String {
        let (s, atto) = d.components
        let us = Double(s) * 1e6 + Double(atto) / 1e12
        if us < 1000 { return "\(Int(us.rounded())) µs" }
        if us < 10_000 { return String(format: "%.1f ms", us / 1000) }
        if us < 1_000_000 { return "\(Int((us / 1000).rounded())) ms" }
        return String(format: "%.2f s", us / 1e6)
    }

    /// The preview in at most `width` characters: `"text…"`, `hex:00 03 47…`, `(empty)`; a
    /// trailing `…` whenever something is left out (by this cut or because the payload is longer).
    public static func preview(_ p: PayloadPreview, width: Int = 32) -> String {
        switch p.kind {
        case .empty:
            return "(empty)"
        case .text:
            let flat = p.rendered.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
                .replacingOccurrences(of: "\t", with: "\\t")
            let cut = flat.count > width
            return "\"" + (cut ? String(flat.prefix(width)) : flat) + (cut || p.isTruncated ? "…" : "") + "\""
        case .hex:
            let cut = p.rendered.count > width
            return "hex:" + (cut ? String(p.rendered.prefix(width)) : p.rendered) + (cut || p.isTruncated ? "…" : "")
        }
    }

    /// `✓ 3.2 ms`, `✗ timed out`, `✗ not connected 0.4 ms`, `…`.
    public static func outcome(_ m: SpyMessage) -> String {
        switch m.outcome {
        case .ok:
            return "✓" + (m.latency.map { " " + latency($0) } ?? "")
        case .notConnected, .failed:
            let status = m.status.map { " (\($0))" } ?? ""
            return m.outcome.symbol + status + (m.handshakeLatency.map { " " + latency($0) } ?? "")
        default:
            return m.outcome.symbol
        }
    }

    /// The whole line for an invocation (with its outcome as known now).
    public static func line(_ m: SpyMessage, timeZone: TimeZone = ClockText.zone()) -> String {
        var parts = [ClockText.format(m.time, timeZone: timeZone, milliseconds: true), "\(m.source ?? "?") → \(m.target)", m.operation, "link=\(m.linkName)", size(m.size),
                     preview(m.preview), outcome(m)]
        if m.attribution != .direct { parts.append("[\(m.attribution.rawValue)]") }
        return parts.joined(separator: "  ")
    }

    /// A follow-up line for a call whose invocation line was printed before it ended.
    public static func followUp(_ m: SpyMessage) -> String {
        "  ↳ #\(m.sequence)  \(m.source ?? "?") → \(m.target)  \(m.operation)  \(outcome(m))"
    }
}
