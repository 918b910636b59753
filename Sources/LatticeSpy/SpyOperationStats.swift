/// Calls of one operation (WIT instance + function) in the capture: counts, errors and latency.
public struct SpyOperationStats: Sendable, Hashable {
    public let instance: String
    public let function: String
    /// Invocations seen.
    public internal(set) var calls: UInt64 = 0
    public internal(set) var ok: UInt64 = 0
    /// 503 (not connected) and other failing statuses.
    public internal(set) var failures: UInt64 = 0
    /// 408 and calls without results within the reply timeout.
    public internal(set) var timeouts: UInt64 = 0
    /// From invocation to results.
    public internal(set) var latency = LatencyHistogram()
    /// From invocation to handshake.
    public internal(set) var handshakeLatency = LatencyHistogram()

    public init(instance: String, function: String) {
        self.instance = instance
        self.function = function
    }

    public var operation: String { function.isEmpty ? instance : "\(instance).\(function)" }
    public var errors: UInt64 { failures + timeouts }
    public var p50: Duration? { latency.p50 }
    public var p99: Duration? { latency.p99 }

    /// The pool for operations beyond `SpyConfiguration.maxOperations`.
    public static let otherInstance = "(other)"
}
