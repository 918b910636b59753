import Foundation
import LatticeProtocol

/// How a mutation ended. Refused, timeout and no responders are distinct so the UI can say
/// which happened, with the host's own message where there is one.
public struct MutationOutcome: Sendable, Equatable {
    public enum Result: Sendable, Equatable {
        /// The host acknowledged and the confirming event arrived.
        case confirmed(event: LatticeEventType)
        /// The host's acknowledgement settles it by itself (no event follows, e.g. a `link.del`
        /// whose source has no spec).
        case settledByReply(message: String)
        /// The host acknowledged, then an event said it failed (e.g. `provider_start_failed`).
        case failed(event: LatticeEventType, message: String)
        /// The host acknowledged but no settling event came within the wait.
        case unconfirmed(waited: Duration)
        /// The host answered `success: false`.
        case refused(message: String)
        /// Nobody answered within the request timeout.
        case timeout
        /// Nobody listens on the subject (the host is gone; no host for lattice-wide requests).
        case noResponders
        /// The request failed validation before anything was sent.
        case invalid(message: String)
        /// An auction found no host willing to run it.
        case noHostInAuction
        /// Anything else (connection closed, malformed reply).
        case error(message: String)
    }

    public var action: OperateAction
    public var result: Result
    /// The subject the request went to ("" when nothing was sent).
    public var subject: String
    /// The host's acknowledgement text (may carry a warning), "" when none.
    public var hostMessage: String
    /// Whether a request went out at all.
    public var sent: Bool
    /// Set when the audit log could not be written.
    public var auditProblem: String?

    public init(action: OperateAction, result: Result, subject: String, hostMessage: String = "", sent: Bool) {
        self.action = action
        self.result = result
        self.subject = subject
        self.hostMessage = hostMessage
        self.sent = sent
    }

    /// Only a confirmed change counts; everything else keeps the user's draft open.
    public var isSuccess: Bool {
        switch result {
        case .confirmed, .settledByReply: return true
        default: return false
        }
    }

    /// One word for the audit log and tests.
    public var status: String {
        switch result {
        case .confirmed, .settledByReply: return "confirmed"
        case .failed: return "failed"
        case .unconfirmed: return "unconfirmed"
        case .refused: return "refused"
        case .timeout: return "timeout"
        case .noResponders: return "no-responders"
        case .invalid: return "invalid"
        case .noHostInAuction: return "no-host"
        case .error: return "error"
        }
    }

    /// What happened, in words (without the wash command).
    public var message: String {
        let what = "\(action.verb) \(action.object)"
        switch result {
        case .confirmed(let event):
            return "✔ \(what): \(event.shortName)" + (Self.isRoutine(hostMessage) ? "" : " — host: \(hostMessage)")
        case .settledByReply(let message): return "✔ \(what): \(message)"
        case .failed(let event, let message): return "✖ \(what): \(event.shortName): \(message)"
        case .unconfirmed(let waited):
            return "⚠ \(what): acknowledged" + (hostMessage.isEmpty ? "" : " (\(hostMessage))")
                + " but no \(action.awaitedEvents.map(\.shortName).joined(separator: "/")) within \(waited.components.seconds)s"
        case .refused(let message): return "✖ \(what) refused by the host: \(message.isEmpty ? "(no message)" : message)"
        case .timeout where action.startsBuiltinProvider:
            // A 1.x host drops a start of a builtin provider whose experimental feature is off.
            return "✖ \(what): host did not answer (builtin provider disabled?)"
        case .timeout: return "✖ \(what): no reply on \(subject) (timed out)"
        case .noResponders: return "✖ \(what): no responders on \(subject) (is the host still up?)"
        case .invalid(let message): return "✖ \(what): \(message)"
        case .noHostInAuction: return "✖ \(what): no host answered the auction"
        case .error(let message): return "✖ \(what): \(message)"
        }
    }

    /// An acknowledgement that says nothing beyond success ("successfully started provider").
    static func isRoutine(_ message: String) -> Bool {
        message.isEmpty || message.lowercased().hasPrefix("successfully")
    }

    /// The result line: what happened, then the equivalent wash command.
    public var resultLine: String {
        (auditProblem.map { message + " (⚠ \($0))" } ?? message) + Screen.resultSeparator + action.washCommand
    }
}
