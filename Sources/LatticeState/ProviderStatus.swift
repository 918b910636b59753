import Foundation

public enum ProviderStatus: Sendable, Equatable {
    case running
    /// `provider_stopped` (the reason is `stop` from 1.x hosts).
    case stopped(at: Date, reason: String)
    /// No stop event was seen, but the host's inventory no longer lists it (crashed, or the
    /// event was missed).
    case notInInventory(since: Date)
    /// `provider_start_failed` and not running since.
    case failedToStart(error: String, at: Date)

    public var isRunning: Bool { self == .running }
}

/// A failed start, as reported by `provider_start_failed`.
public struct ProviderStartFailure: Sendable, Equatable {
    public var error: String
    public var providerRef: String
    public var at: Date
}
