import Foundation
import LatticeProtocol

/// A message that could not be decoded, kept as a sample for the diagnostics view.
public struct DecodeErrorSample: Sendable, Equatable {
    public var subject: String
    public var reason: String
    /// The first bytes of the message as lossy UTF-8 (unsanitised).
    public var preview: String
    public var byteCount: Int
    public var at: Date
}

/// A sync step that failed.
public struct SyncFailure: Sendable, Equatable {
    public var step: String
    public var message: String
    public var at: Date
}

/// What arrived, and what went wrong on the way.
public struct LatticeCounters: Sendable, Equatable {
    /// Decoded events applied (duplicates not included).
    public internal(set) var events = 0
    /// By short type name (`host_heartbeat`); unknown types by their full type.
    public var eventsByType: [String: Int] {
        var counts = unknownEventTypes
        for (rank, count) in countsByRank.enumerated() where count > 0 && rank < LatticeEventPayload.shortNames.count {
            counts[LatticeEventPayload.shortNames[rank]] = count
        }
        return counts
    }
    /// Events of types this model does not know, by full type.
    public internal(set) var unknownEventTypes: [String: Int] = [:]
    /// Known event types by `LatticeEventPayload.rank`.
    var countsByRank = [Int](repeating: 0, count: LatticeEventPayload.shortNames.count)
    /// Events dropped because their CloudEvent ID was seen before.
    public internal(set) var duplicates = 0
    public internal(set) var v2Heartbeats = 0
    public internal(set) var decodeErrors = 0
    public internal(set) var recentDecodeErrors: RingBuffer<DecodeErrorSample>
    /// Messages the subscriptions dropped, per subscription subject (running totals).
    public internal(set) var droppedBySubject: [String: Int64] = [:]
    /// Inputs replaced in the hand-over to the UI by a newer one about the same thing (a running
    /// total): not lost, but not folded one by one either.
    public internal(set) var superseded: Int64 = 0
    public internal(set) var syncFailures = 0
    public internal(set) var recentSyncFailures: RingBuffer<SyncFailure>

    init(sampleCapacity: Int) {
        recentDecodeErrors = RingBuffer(capacity: sampleCapacity)
        recentSyncFailures = RingBuffer(capacity: sampleCapacity)
    }

    public var droppedTotal: Int64 { droppedBySubject.values.reduce(0, +) }
}
