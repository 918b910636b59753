/// How a call ended, as far as the spy can tell.
public enum SpyOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    /// Waiting for replies.
    case pending
    /// Results arrived.
    case ok
    /// Handshake status 503: the server side is not connected.
    case notConnected = "not-connected"
    /// Handshake status 408, or no results within the reply timeout.
    case timedOut = "timed-out"
    /// Another status code on the handshake.
    case failed
    /// The reply inbox is not under a subscribed prefix (or the call has no reply subject):
    /// the spy cannot see how it ended.
    case unobserved
    /// Given up because the pending-call table was full.
    case evicted

    public var isError: Bool { self == .notConnected || self == .timedOut || self == .failed }
    public var isFinal: Bool { self != .pending }

    /// A short mark for text output.
    public var symbol: String {
        switch self {
        case .pending: return "…"
        case .ok: return "✓"
        case .notConnected: return "✗ not connected"
        case .timedOut: return "✗ timed out"
        case .failed: return "✗ failed"
        case .unobserved: return "? reply not observed"
        case .evicted: return "? untracked"
        }
    }
}
