import Foundation

/// What the connection is doing now; published on `NATSConnection.states`. A loss is always
/// published as `.disconnected`, then `.reconnecting(attempt:)` for each back-off wait (none
/// when another cluster node takes over at once), then `.connected`; `.closed` is the last.
public enum NATSConnectionState: Sendable, Equatable {
    case connecting
    /// Connected to `server` (its URL without any user/password).
    case connected(server: String)
    /// The connection to `server` (the one last connected to) was lost.
    case disconnected(server: String?)
    /// Waiting before reconnect attempt `attempt` (1-based).
    case reconnecting(attempt: Int)
    case closed

    public var isConnected: Bool {
        if case .connected = self { return true }
        return false
    }
}
