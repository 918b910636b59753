import Foundation

/// Provider health with wasmCloud 1.x semantics: the host emits `health_check_passed` when a
/// probe turns healthy, `health_check_failed` when it turns unhealthy, and `health_check_status`
/// when the result is the same as the previous probe. Its "previous" starts as unhealthy, so a
/// provider that is unhealthy from its first probe only ever sends `status`, and a hung provider
/// sends nothing. `status` therefore never means healthy here.
public enum ProviderHealth: Sendable, Equatable {
    /// Builtin providers are not probed by the host.
    case notProbed
    /// Running, no health report yet (and the stale threshold has not passed).
    case pending
    /// Health reports arrive but none said "passed" since the provider started. When the
    /// start was observed (`startObserved`), every such report was an unhealthy probe.
    case notReportedHealthy(lastReport: Date, startObserved: Bool)
    case healthy(since: Date)
    case unhealthy(since: Date)
    /// latticetop's probe got no reply within its timeout (a hung or crashed provider, which
    /// the host's events never tell).
    case notAnswering(since: Date)
    /// latticetop's probe got "no responders": nothing listens on the provider's health subject.
    case noHealthEndpoint(since: Date)
    /// No health event for longer than the threshold after the last one (or after the start):
    /// hung, or its host is gone. `lastReport` is `nil` when none ever came.
    case stale(lastReport: Date?, lastVerdict: HealthVerdict?)
    /// The provider does not run.
    case notRunning

    /// Anything an operator should look at. "Not reported healthy" counts only when the start
    /// was observed (then every report was an unhealthy probe); joined mid-stream, it is unknown.
    public var needsAttention: Bool {
        switch self {
        case .unhealthy, .stale, .notReportedHealthy(_, startObserved: true), .notAnswering, .noHealthEndpoint: return true
        case .notProbed, .pending, .healthy, .notRunning, .notReportedHealthy(_, startObserved: false): return false
        }
    }

    public var isHealthy: Bool {
        if case .healthy = self { return true }
        return false
    }
}

/// The last explicit health change the host reported.
public struct HealthVerdict: Sendable, Equatable {
    public var healthy: Bool
    public var at: Date

    public init(healthy: Bool, at: Date) {
        self.healthy = healthy
        self.at = at
    }
}
