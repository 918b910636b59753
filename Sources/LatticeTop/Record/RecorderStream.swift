import Foundation
import LatticeProtocol
import NATSKit

/// latticetop's flight recorder: a JetStream stream `LATTICETOP_EVENTS_<lattice>` on the
/// lattice's events (`wasmbus.evt.<lattice>.>`, and `wadm.evt.<lattice>.>` when wadm runs),
/// kept by the server, no daemon. Pure naming and parsing; `RecordCommand` talks to the server.
struct RecorderStream: Sendable, Equatable {
    let lattice: String

    /// `LATTICETOP_EVENTS_<lattice>` (`EventStreams.recorder`).
    var name: String { EventStreams.recorder(lattice: lattice) }

    var hostEvents: String { "wasmbus.evt.\(lattice).>" }
    var wadmEvents: String { "wadm.evt.\(lattice).>" }

    /// Streams wadm keeps on the same subjects (JetStream refuses overlapping subjects, so the
    /// recorder copies from these instead): `wasmbus_events` (§2.4) and `wadm_events`.
    static let wadmStreams = ["wasmbus_events", "wadm_events"]

    /// The stream's configuration: each subject recorded directly, or copied (`sources`) from
    /// the existing stream that already captures it.
    func configuration(includeWadm: Bool, existing: [String: [String]], maxAge: Duration, maxBytes: Int64,
                       replicas: Int) -> NATSStreamConfiguration {
        var subjects: [String] = [], sources: [NATSStreamConfiguration.Source] = []
        for subject in [hostEvents] + (includeWadm ? [wadmEvents] : []) {
            if let owner = existing.keys.sorted().first(where: { existing[$0]!.contains { Self.covers($0, subject) } }) {
                sources.append(.init(stream: owner, filterSubject: subject))
            } else {
                subjects.append(subject)
            }
        }
        return NATSStreamConfiguration(name: name, description: "latticetop flight recorder for lattice \(lattice)",
                                       subjects: subjects, sources: sources, maxAge: maxAge, maxBytes: maxBytes, replicas: replicas)
    }

    /// Whether subscribing to `pattern` gets every message on `subject` (itself a pattern):
    /// token by token, `*` takes one token, `>` the rest.
    static func covers(_ pattern: String, _ subject: String) -> Bool {
        let p = pattern.split(separator: ".", omittingEmptySubsequences: false)
        let s = subject.split(separator: ".", omittingEmptySubsequences: false)
        for (i, token) in p.enumerated() {
            if token == ">" { return i < s.count }
            guard i < s.count else { return false }
            if token == "*" { if s[i] == ">" { return false } else { continue } }
            if token != s[i] { return false }
        }
        return p.count == s.count
    }

    /// `24h`, `90m`, `30s`, `7d`, `1h30m`; `0` is unlimited.
    static func parseDuration(_ text: String) -> Duration? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t == "0" { return .zero }
        var total = 0.0, number = "", matched = false
        for c in t {
            if c.isNumber || c == "." { number.append(c); continue }
            let unit: Double
            switch c {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3600
            case "d": unit = 86_400
            default: return nil
            }
            guard let n = Double(number) else { return nil }
            total += n * unit
            number = ""
            matched = true
        }
        guard number.isEmpty, matched, total > 0 else { return nil }
        return .milliseconds(Int64(total * 1000))
    }

    /// `256MiB`, `1GiB`, `500MB`, `1048576`; `-1` or `0` is unlimited (-1).
    static func parseBytes(_ text: String) -> Int64? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t == "-1" || t == "0" { return -1 }
        let digits = t.prefix { $0.isNumber || $0 == "." }
        guard let n = Double(digits), n > 0 else { return nil }
        let units: [String: Double] = ["": 1, "b": 1, "k": 1e3, "kb": 1e3, "kib": 1024, "m": 1e6, "mb": 1e6, "mib": 1_048_576,
                                       "g": 1e9, "gb": 1e9, "gib": 1_073_741_824, "t": 1e12, "tb": 1e12, "tib": 1_099_511_627_776]
        guard let unit = units[t.dropFirst(digits.count).lowercased()] else { return nil }
        return Int64(n * unit)
    }

    /// `256 MiB`, `1.5 KiB`, `12 B`.
    static func formatBytes(_ bytes: Int64) -> String {
        if bytes < 0 { return "unlimited" }
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes), i = 0
        while value >= 1024, i < units.count - 1 { value /= 1024; i += 1 }
        return i == 0 ? "\(bytes) B" : (value == value.rounded() ? "\(Int(value)) \(units[i])" : String(format: "%.1f %@", value, units[i]))
    }

    /// `24h`, `1h30m`, `unlimited`.
    static func formatDuration(_ d: Duration) -> String {
        let s = Int(d.components.seconds)
        if s == 0 { return "unlimited" }
        var parts: [String] = []
        if s >= 7 * 86_400, s % 86_400 == 0 { return "\(s / 86_400)d" }
        if s >= 3600 { parts.append("\(s / 3600)h") }
        if s % 3600 >= 60 { parts.append("\(s % 3600 / 60)m") }
        if s % 60 > 0 { parts.append("\(s % 60)s") }
        return parts.joined()
    }
}
