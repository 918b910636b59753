import LatticeProtocol
import NATSKit

/// Why a control request did not give a result. Timeouts, missing responders and a host's
/// refusal are distinct, so a caller can say which happened.
public enum LatticeClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nobody answered within the timeout.
    case timeout(subject: String)
    /// Nobody listens on the subject (no host, or no wadm).
    case noResponders(subject: String)
    /// The host answered `success: false`; `message` is the host's text.
    case refused(subject: String, message: String)
    /// The reply was not what the protocol says.
    case malformedReply(subject: String, detail: String)
    /// An argument failed validation before anything was sent.
    case invalidArgument(String)
    /// The NATS layer failed (closed connection, …).
    case nats(NATSError)

    public var description: String {
        switch self {
        case .timeout(let subject): return "timed out waiting for a reply on \(subject)"
        case .noResponders(let subject): return "no responders on \(subject)"
        case .refused(_, let message): return "refused: \(message)"
        case .malformedReply(let subject, let detail): return "malformed reply on \(subject): \(detail)"
        case .invalidArgument(let text): return text
        case .nats(let error): return error.description
        }
    }

    static func from(_ error: NATSError, subject: String) -> LatticeClientError {
        switch error {
        case .timeout: return .timeout(subject: subject)
        case .noResponders: return .noResponders(subject: subject)
        default: return .nats(error)
        }
    }
}
