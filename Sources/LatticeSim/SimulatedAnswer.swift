import Foundation
import LatticeProtocol

/// An answer forced on a control operation, whatever the simulated hosts would say: a switch
/// to drive failure paths (a refusal, a host that never answers).
public enum SimulatedAnswer: Sendable, Equatable {
    /// `success: false` with this message; a refused `link.put` also emits `linkdef_set_failed`
    /// with it, as a 1.2+ host does for the puts it rejects.
    case refuse(String)
    /// No reply at all: the request times out.
    case silence
}

extension LatticeSimulator {
    /// Forces `answer` on every following `operation` request (nil: back to normal).
    public func force(_ answer: SimulatedAnswer?, for operation: CtlOperation) {
        forcedAnswers[operation] = answer
    }

    /// The outcome of a forced answer for this request, if one is set.
    func forcedOutcome(_ operation: CtlOperation, body: Data, answeringHost: String?) -> SimulatedLattice.Outcome? {
        switch forcedAnswers[operation] {
        case nil:
            return nil
        case .silence:
            return SimulatedLattice.Outcome(reply: nil)
        case .refuse(let message):
            var events: [SimulatedLattice.Emitted] = []
            if operation == .linkPut, let host = answeringHost, let link = try? WireJSON.decode(Link.self, from: body) {
                events.append(.init(source: host, payload: .linkdefSetFailed(LinkDefSetFailedEvent(link: link, error: message))))
            }
            return SimulatedLattice.Outcome(reply: .error(message), events: events)
        }
    }
}
