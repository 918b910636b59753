import Foundation

/// What latticetop's own health probe of a provider got (`wasmbus.rpc.{lattice}.{provider_id}.health`
/// on the RPC connection, §3): the provider's answer, no answer within the timeout, or nobody
/// subscribed to the subject.
public enum ProbeOutcome: Sendable, Equatable {
    case healthy(message: String?)
    case unhealthy(message: String?)
    /// No reply within the timeout (hung, or crashed with its subscription still in place).
    case notAnswering
    /// "No responders": nothing listens on the provider's health subject.
    case noHealthEndpoint

    /// The word `get providers --output json` uses (`"health"`).
    public var word: String {
        switch self {
        case .healthy: return "healthy"
        case .unhealthy: return "unhealthy"
        case .notAnswering: return "not answering"
        case .noHealthEndpoint: return "no health endpoint"
        }
    }

    /// The provider's own message, if it sent one.
    public var message: String? {
        switch self {
        case .healthy(let message), .unhealthy(let message): return message
        case .notAnswering, .noHealthEndpoint: return nil
        }
    }

    /// One line: `healthy`, `unhealthy: <message>`, `not answering health probe`, `no health endpoint`.
    public var summary: String {
        switch self {
        case .healthy(let message): return "healthy" + (message.map { ": \($0)" } ?? "")
        case .unhealthy(let message): return "unhealthy" + (message.map { ": \($0)" } ?? "")
        case .notAnswering: return "not answering health probe"
        case .noHealthEndpoint: return "no health endpoint"
        }
    }

    /// The same kind of answer (messages aside): a change of kind starts a new spell.
    func sameKind(as other: ProbeOutcome) -> Bool {
        switch (self, other) {
        case (.healthy, .healthy), (.unhealthy, .unhealthy), (.notAnswering, .notAnswering),
             (.noHealthEndpoint, .noHealthEndpoint):
            return true
        default:
            return false
        }
    }

    /// The verdict it carries, if the provider answered.
    var verdict: Bool? {
        switch self {
        case .healthy: return true
        case .unhealthy: return false
        case .notAnswering, .noHealthEndpoint: return nil
        }
    }
}

/// Where a health fact came from: the host's `health_check_*` events, or latticetop's probe.
public enum HealthSource: String, Sendable, Equatable {
    case hostEvent = "host event"
    case probe = "probe"
}
