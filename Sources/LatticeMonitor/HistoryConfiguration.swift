import Foundation

/// Replaying the lattice's recorded events before live ones: from the flight recorder
/// (`LATTICETOP_EVENTS_<lattice>`), else from wadm's `wasmbus_events`.
public struct HistoryConfiguration: Sendable, Equatable {
    public enum Start: Sendable, Equatable {
        /// This long before the replay starts.
        case ago(Duration)
        case at(Date)
        /// Everything the stream keeps.
        case all
    }

    public var start: Start
    /// Events stored after this are not replayed (nil: up to the live ones).
    public var until: Date?
    /// Messages fetched per request.
    public var batchSize: Int

    public init(start: Start, until: Date? = nil, batchSize: Int = 256) {
        self.start = start
        self.until = until
        self.batchSize = max(1, batchSize)
    }

    /// The first moment replayed, for a replay starting at `now` (nil: the stream's beginning).
    public func startDate(now: Date) -> Date? {
        switch start {
        case .ago(let d): return now.addingTimeInterval(-(Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18))
        case .at(let date): return date
        case .all: return nil
        }
    }
}
