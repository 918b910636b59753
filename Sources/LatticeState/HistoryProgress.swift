import Foundation

/// Loading the lattice's history at start: what the monitor reports while it replays a stream
/// that recorded the lattice's events (the flight recorder, else wadm's `wasmbus_events`).
public enum HistoryProgress: Sendable, Equatable {
    /// Reading `stream` from `since` (nil: all it keeps): `loaded` of about `expected` events.
    case loading(stream: String, since: Date?, loaded: Int, expected: Int)
    /// All of it replayed; live events follow (`duplicates`: live events that were also
    /// recorded, dropped).
    case loaded(stream: String, since: Date?, events: Int, duplicates: Int)
    /// No stream keeps this lattice's events (`reason` says which were looked for).
    case unavailable(reason: String)
    /// Reading failed; what was read stays, live events follow.
    case failed(stream: String?, message: String, loaded: Int)

    /// Whether live events follow (the history is done with, one way or another).
    public var isFinished: Bool {
        if case .loading = self { return false }
        return true
    }

    /// One line for the header or the flash line.
    public func summary(clock: (Date) -> String) -> String {
        switch self {
        case .loading(let stream, let since, let loaded, let expected):
            return "⟲ loading history from \(stream)\(since.map { " since \(clock($0))" } ?? ""): \(loaded) of \(max(loaded, expected)) events"
        case .loaded(let stream, let since, let events, _):
            return "history: \(events) recorded event\(events == 1 ? "" : "s") from \(stream)\(since.map { " since \(clock($0))" } ?? "") replayed; live from here"
        case .unavailable(let reason):
            return "no history: \(reason)"
        case .failed(let stream, let message, let loaded):
            return "history \(stream.map { "from \($0) " } ?? "")incomplete (\(loaded) events read): \(message)"
        }
    }
}

/// The history the model was started with.
public struct HistoryState: Sendable, Equatable {
    /// The latest report (nil: no history was asked for).
    public internal(set) var progress: HistoryProgress?
    /// Recorded events replayed so far.
    public internal(set) var replayed = 0
    /// When live events began (the history was done with).
    public internal(set) var liveSince: Date?

    /// Still loading: live events wait.
    public var isLoading: Bool { progress.map { !$0.isFinished } ?? false }
}
