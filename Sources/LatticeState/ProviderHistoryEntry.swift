import Foundation

/// One lifecycle or health change of a provider on a host.
public struct ProviderHistoryEntry: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case started(imageRef: String)
        case startFailed(error: String)
        case healthPassed
        case healthFailed
        case stopped(reason: String)
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
