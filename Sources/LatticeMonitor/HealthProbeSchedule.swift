import Foundation

/// When to probe which provider: each one as soon as it is seen, then every `interval` after
/// its last probe; at most `budget(for:)` probes a call (the loop calls once a second), so a
/// thousand providers are spread over half an interval instead of probed in one burst. Pure:
/// the caller passes the clock and the current targets.
public struct HealthProbeSchedule: Sendable, Equatable {
    public let interval: TimeInterval
    /// Probes per call at least, however few providers there are.
    public let minimumBudget: Int
    private var nextDue: [String: Date] = [:]

    public init(interval: TimeInterval, minimumBudget: Int = 20) {
        self.interval = max(1, interval)
        self.minimumBudget = max(1, minimumBudget)
    }

    /// Probes per call for `count` providers: all of them within half an interval.
    public func budget(for count: Int) -> Int {
        max(minimumBudget, Int((Double(count) / (interval / 2)).rounded(.up)))
    }

    /// The providers to probe now (the longest-waiting first), marking them probed. Providers
    /// no longer among `targets` are forgotten (a restart is probed again at once).
    public mutating func due(_ targets: [String], now: Date) -> [String] { due(Set(targets), now: now) }

    /// `due(_:now:)` of a set of targets.
    public mutating func due(_ targets: Set<String>, now: Date) -> [String] {
        if nextDue.count > targets.count || nextDue.keys.contains(where: { !targets.contains($0) }) {
            nextDue = nextDue.filter { targets.contains($0.key) }
        }
        var waiting: [(Date, String)] = []
        for id in targets {
            let due = nextDue[id] ?? .distantPast
            if due <= now { waiting.append((due, id)) }
        }
        guard !waiting.isEmpty else { return [] }
        waiting.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        let picked = waiting.prefix(budget(for: targets.count)).map(\.1)
        for id in picked { nextDue[id] = now.addingTimeInterval(interval) }
        return picked
    }
}
