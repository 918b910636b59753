import Foundation
import LatticeProtocol

/// A moment given on the command line (`--since`, `--until`): a duration back from now (`1h`,
/// `90m`, `1h30m`, `7d`), an RFC 3339 time (`2026-12-05T10:42:00Z`), or a clock time today in
/// the local zone (`10:42`, `10:42:30`; yesterday's when that is still to come).
enum TimeBound {
    static func parse(_ text: String, now: Date, timeZone: TimeZone = ClockText.zone()) -> Date? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let ago = RecorderStream.parseDuration(t) {
            let (s, atto) = ago.components
            return now.addingTimeInterval(-(Double(s) + Double(atto) / 1e18))
        }
        if let date = RFC3339.parse(t) { return date }
        let parts = t.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isNumber) }),
              let h = Int(parts[0]), let m = Int(parts[1]), h < 24, m < 60 else { return nil }
        let s = parts.count == 3 ? Int(parts[2]) ?? 60 : 0
        guard s < 60 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        guard let today = calendar.date(bySettingHour: h, minute: m, second: s, of: now) else { return nil }
        return today > now ? calendar.date(byAdding: .day, value: -1, to: today) : today
    }

    static let help = "1h, 30m, 7d (ago), 10:42 (today), or 2026-12-05T10:42:00Z"
}
