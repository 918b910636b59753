import Foundation

/// The one clock format of every view and printer: `HH:mm:ss` (or `HH:mm:ss.mmm`) in a time
/// zone, by arithmetic (no formatter objects per cell). The zone comes from `zone(environment:)`,
/// which honours `TZ` as a shell's `date` does.
public enum ClockText {
    /// `date`'s wall-clock time in `timeZone`, with milliseconds when asked.
    public static func format(_ date: Date, timeZone: TimeZone, milliseconds: Bool = false) -> String {
        let t = date.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: date))
        let ms = Int64((t * 1000).rounded(.down))
        let dayMs = ((ms % 86_400_000) + 86_400_000) % 86_400_000
        let h = dayMs / 3_600_000, m = dayMs / 60_000 % 60, s = dayMs / 1000 % 60
        let base = pad(h, 2) + ":" + pad(m, 2) + ":" + pad(s, 2)
        return milliseconds ? base + "." + pad(dayMs % 1000, 3) : base
    }

    /// The zone `TZ` names (`Europe/Berlin`, `:Europe/Berlin`, `UTC`, `EST5EDT`); the system's
    /// when `TZ` is unset, empty or unknown.
    public static func zone(environment: [String: String] = ProcessInfo.processInfo.environment) -> TimeZone {
        guard var name = environment["TZ"]?.trimmingCharacters(in: .whitespaces), !name.isEmpty else { return .current }
        if name.hasPrefix(":") { name.removeFirst() }
        if let zone = TimeZone(identifier: name) ?? TimeZone(abbreviation: name) { return zone }
        // POSIX `UTC0` / `GMT0` style names without a rule.
        if ["UTC0", "GMT0", "UTC+0", "UTC-0"].contains(name.uppercased()) { return TimeZone(secondsFromGMT: 0)! }
        return .current
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
