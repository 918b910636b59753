import Foundation
import LatticeProtocol
import LatticeState

/// What `[` `]` `{` `}`, `:at` and `:live` ask for.
public enum TravelRequest: Hashable, Sendable {
    /// To the previous (-1) or next (+1) recorded change.
    case step(Int)
    /// By whole minutes (shift: `{` back, `}` forward).
    case minutes(Int)
    /// `:at 10:42`, `:at 10:42:03` (today, in the display zone; the day before when that is still
    /// to come) or `:at -15m` (before now; units s, m, h, d, combinable: `-1h30m`).
    case to(TravelTarget)
    /// `:live` or esc: back to the present.
    case live
}

public enum TravelTarget: Hashable, Sendable {
    case clock(hour: Int, minute: Int, second: Int)
    case ago(TimeInterval)

    /// Parses `:at`'s argument; nil when it is neither a clock time nor a `-` duration.
    public static func parse(_ text: String) -> TravelTarget? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t.hasPrefix("-") {
            var total: TimeInterval = 0
            var number = ""
            var sawUnit = false
            for c in t.dropFirst() {
                if c.isASCII && c.isNumber { number.append(c); continue }
                guard let n = Double(number), let unit = ["s": 1.0, "m": 60, "h": 3600, "d": 86_400][String(c)] else { return nil }
                total += n * unit
                number = ""
                sawUnit = true
            }
            guard number.isEmpty, sawUnit, total > 0 else { return nil }
            return .ago(total)
        }
        let parts = t.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard (2...3).contains(parts.count), parts.allSatisfy({ $0 != nil }) else { return nil }
        let (h, m, s) = (parts[0]!, parts[1]!, parts.count == 3 ? parts[2]! : 0)
        guard (0..<24).contains(h), (0..<60).contains(m), (0..<60).contains(s) else { return nil }
        return .clock(hour: h, minute: m, second: s)
    }
}

/// Where a travel request leads, given what is recorded: a past moment, or nil for live. Pure.
public enum TimeTravel {
    public struct Outcome: Equatable, Sendable {
        /// The moment to show; nil: live.
        public var moment: Date?
        /// A line for the flash (clamped to the start of history, nothing earlier, back to live).
        public var note: String?
        public var isError = false
    }

    /// - Parameters:
    ///   - current: the moment shown now (nil: live);
    ///   - live: the present;
    ///   - first: the earliest recorded moment (nil: nothing recorded);
    ///   - before / after: the nearest recorded change strictly before / after a moment.
    public static func resolve(_ request: TravelRequest, current: Date?, live: Date, first: Date?, timeZone: TimeZone,
                               before: (Date) -> Date?, after: (Date) -> Date?) -> Outcome {
        guard let first else {
            if request == .live { return Outcome(moment: nil) }
            return Outcome(moment: current, note: "nothing recorded yet to travel through", isError: true)
        }
        let from = current ?? live
        func clamped(_ target: Date) -> Outcome {
            if target >= live { return Outcome(moment: nil, note: "live") }
            if target < first {
                return Outcome(moment: first, note: "history starts at \(ClockText.format(first, timeZone: timeZone, milliseconds: false))")
            }
            return Outcome(moment: target)
        }
        switch request {
        case .live:
            return Outcome(moment: nil, note: current == nil ? nil : "live")
        case .step(let n) where n < 0:
            guard let earlier = before(from) else { return Outcome(moment: current, note: "no earlier recorded change") }
            return Outcome(moment: earlier)
        case .step:
            guard current != nil else { return Outcome(moment: nil, note: "already live") }
            guard let later = after(from) else { return Outcome(moment: nil, note: "live") }
            return Outcome(moment: later)
        case .minutes(let n):
            if n > 0 && current == nil { return Outcome(moment: nil, note: "already live") }
            return clamped(from.addingTimeInterval(TimeInterval(n) * 60))
        case .to(.ago(let seconds)):
            return clamped(live.addingTimeInterval(-seconds))
        case .to(.clock(let h, let m, let s)):
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            var parts = calendar.dateComponents([.year, .month, .day], from: live)
            parts.hour = h
            parts.minute = m
            parts.second = s
            guard var target = calendar.date(from: parts) else {
                return Outcome(moment: current, note: "no such time", isError: true)
            }
            if target > live { target = calendar.date(byAdding: .day, value: -1, to: target) ?? target }
            return clamped(target)
        }
    }

    /// The header's part while in the past: `⏪ AT 10:42:03 — live: 10:57:10`.
    public static func headerText(moment: Date, live: Date, timeZone: TimeZone) -> String {
        "⏪ AT \(ClockText.format(moment, timeZone: timeZone, milliseconds: false)) — live: \(ClockText.format(live, timeZone: timeZone, milliseconds: false))"
    }
}
