import Foundation

/// When a fact happened, for last-writer-wins merges: an event's own `time` (host clock), or the
/// arrival time for sync results and v2 heartbeats. The tie-breaks (event ID or sync step, then
/// the event type) make the order total, so merging the same facts in any order gives the same
/// winner. (Event IDs are not always unique: test data reuses them across event types.)
struct Stamp: Comparable, Hashable, Sendable {
    var time: Date
    var tiebreak: String
    var rank: UInt8 = 0

    static func < (lhs: Stamp, rhs: Stamp) -> Bool {
        if lhs.time != rhs.time { return lhs.time < rhs.time }
        if lhs.tiebreak != rhs.tiebreak { return lhs.tiebreak < rhs.tiebreak }
        return lhs.rank < rhs.rank
    }

    /// The later of two optional stamps (`nil` is "never").
    static func latest(_ lhs: Stamp?, _ rhs: Stamp?) -> Stamp? {
        guard let lhs else { return rhs }
        guard let rhs else { return lhs }
        return max(lhs, rhs)
    }

    /// `true` when `lhs` exists and is later than `rhs` (or `rhs` is `nil`).
    static func isLater(_ lhs: Stamp?, than rhs: Stamp?) -> Bool {
        guard let lhs else { return false }
        guard let rhs else { return true }
        return lhs > rhs
    }
}

/// A value with the stamp of the fact that produced it and the time it arrived here.
struct Stamped<Value: Sendable & Equatable>: Sendable, Equatable {
    var stamp: Stamp
    var value: Value
    var arrival: Date
}

extension Optional {
    /// Keeps whichever of the current and the new value has the later stamp. Returns `true`
    /// when the new one was taken.
    @discardableResult
    mutating func keepLatest<Value>(_ candidate: Stamped<Value>) -> Bool where Wrapped == Stamped<Value> {
        if let current = self, current.stamp >= candidate.stamp { return false }
        self = candidate
        return true
    }
}
