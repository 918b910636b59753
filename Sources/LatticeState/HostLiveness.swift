import Foundation

/// Whether a host is there. Absence alone never makes a host `stopped` or removes it: it makes
/// it `stale`, with the reason.
public enum HostLiveness: Sendable, Equatable {
    case live
    /// No sign of life (heartbeat, ping reply, inventory reply, event) since `since`.
    case stale(since: Date, reason: HostStaleReason)
    /// `host_stopped` at `at` (the event's time). Host IDs are never reused: a restarted host
    /// has a new ID, so nothing brings a stopped ID back.
    case stopped(at: Date)

    public var isLive: Bool { self == .live }
    public var isStopped: Bool {
        if case .stopped = self { return true }
        return false
    }
}

public enum HostStaleReason: Sendable, Equatable {
    /// Longer than the stale threshold without a heartbeat or any other sign of life.
    case noHeartbeat
    /// A complete sync pinged the lattice and this host did not answer (nor said anything since).
    case didNotAnswerPing
}
