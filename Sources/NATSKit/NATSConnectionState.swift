import Foundation

/// What the connection is doing now; published on `NATSConnection.states`.
public enum NATSConnectionState: Sendable, Equatable {
    case connecting
    case connected(server: String)
    case disconnected(server: String?)
    /// Waiting before reconnect attempt `attempt` (1-based).
    case reconnecting(attempt: Int)
    case closed

    public var isConnected: Bool {
        if case .connected = self { return true }
        return false
    }
}
