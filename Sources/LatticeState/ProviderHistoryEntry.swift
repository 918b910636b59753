import Foundation

/// One lifecycle or health change of a provider on a host.
public struct ProviderHistoryEntry: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case started(imageRef: String)
        case startFailed(error: String)
        case healthPassed
        case healthFailed
        case stopped(reason: String)
        /// latticetop's probe got a different kind of answer than the one before.
        case probed(ProbeOutcome)
    }

    /// Where a health entry came from (nil for lifecycle entries).
    public var source: HealthSource? {
        switch kind {
        case .healthPassed, .healthFailed: return .hostEvent
        case .probed: return .probe
        case .started, .startFailed, .stopped: return nil
        }
    }

    /// A failed health check or a probe that did not get a healthy answer.
    public var isHealthFailure: Bool {
        switch kind {
        case .healthFailed: return true
        case .probed(let outcome): return outcome.verdict != true
        case .started, .startFailed, .healthPassed, .stopped: return false
        }
    }

    /// The event's time.
    public var time: Date { stamp.time }
    public var kind: Kind
    var stamp: Stamp

    init(stamp: Stamp, kind: Kind) {
        self.stamp = stamp
        self.kind = kind
    }
}

extension Array where Element == ProviderHistoryEntry {
    /// Inserts in time order, keeping only the `capacity` latest entries; an entry with the
    /// same stamp (a redelivered event) is not added twice.
    mutating func insertKeepingLatest(_ entry: ProviderHistoryEntry, capacity: Int) {
        var index = endIndex
        while index > startIndex, self[index - 1].stamp >= entry.stamp {
            if self[index - 1].stamp == entry.stamp { return }
            index -= 1
        }
        if count >= capacity {
            guard index > startIndex else { return }
            insert(entry, at: index)
            removeFirst(count - capacity)
        } else {
            insert(entry, at: index)
        }
    }
}
