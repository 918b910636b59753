import Foundation

/// How a simulated provider answers a health probe on `wasmbus.rpc.{lattice}.{provider_id}.health`
/// (the provider SDK's `HealthCheckResponse`, §3). The host's own probes see the same answer,
/// so its `health_check_*` events agree.
public enum SimulatedHealthAnswer: Sendable, Equatable {
    /// `{"healthy":true}` (the SDK's default).
    case healthy
    /// `{"healthy":false,"message":…}` (`message` left out when nil).
    case unhealthy(message: String?)
    /// Subscribed, never answers: a hung provider (the prober times out).
    case silent
    /// Not subscribed: "no responders" (a provider without a health endpoint, or whose process is gone).
    case noEndpoint

    /// `healthy`, `unhealthy`, `unhealthy:MESSAGE`, `silent`, `none`.
    public init?(argument: String) {
        switch argument {
        case "healthy": self = .healthy
        case "unhealthy": self = .unhealthy(message: nil)
        case "silent": self = .silent
        case "none": self = .noEndpoint
        default:
            guard argument.hasPrefix("unhealthy:") else { return nil }
            self = .unhealthy(message: String(argument.dropFirst("unhealthy:".count)))
        }
    }

    /// The subject a provider answers probes on.
    static func subject(lattice: String, providerID: String) -> String {
        "wasmbus.rpc.\(lattice).\(providerID).health"
    }

    /// The reply body for a behaviour and message (nil: no reply).
    static func reply(_ behaviour: SimulatedProvider.Behaviour, message: String?) -> Data? {
        switch behaviour {
        case .healthy: return SimJSON.encode(["healthy": true] as [String: Any])
        case .unhealthy:
            var body: [String: Any] = ["healthy": false]
            if let message { body["message"] = message }
            return SimJSON.encode(body)
        case .silent, .noEndpoint: return nil
        }
    }

    var behaviour: SimulatedProvider.Behaviour {
        switch self {
        case .healthy: return .healthy
        case .unhealthy: return .unhealthy
        case .silent: return .silent
        case .noEndpoint: return .noEndpoint
        }
    }

    var message: String? {
        if case .unhealthy(let message) = self { return message }
        return nil
    }
}
