import Foundation

/// The NATS connection as last reported, and since when.
public struct ConnectionState: Sendable, Equatable {
    public internal(set) var status: ConnectionStatus = .connecting
    /// When `status` was entered; `nil` until the first report.
    public internal(set) var since: Date?

    public var isConnected: Bool {
        if case .connected = status { return true }
        return false
    }
}
