/// A call as the spy paired it: the invocation (with outcome and latencies filled in), and the
/// results message when that is how it ended.
public struct SpyCall: Sendable {
    public let invocation: SpyMessage
    /// The results message, when results arrived.
    public let results: SpyMessage?

    public var outcome: SpyOutcome { invocation.outcome }
    public var handshakeLatency: Duration? { invocation.handshakeLatency }
    public var resultsLatency: Duration? { invocation.resultsLatency }
    public var latency: Duration? { invocation.latency }
    public var status: Int? { invocation.status }
    public var sequence: UInt64 { invocation.sequence }
}
