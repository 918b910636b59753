import LatticeProtocol
import LatticeState

extension LatticeInput {
    /// What a newer input replaces while it still waits for the dashboard
    /// (`MonitorConfiguration.supersedesWaitingInputs`): a host's heartbeat (1.x or v2), which
    /// lists everything on the host, so the newer one says all the older did; and a provider's
    /// `health_check_status` on a host, a repeat of its health at a later time. Nil for every
    /// other input: each one is taken. Recorded (replayed) events are history and never replaced.
    public static func supersedingKey(_ input: LatticeInput) -> String? {
        switch input {
        case .event(let event, _):
            switch event.payload {
            case .hostHeartbeat: return "heartbeat\u{1}\(event.hostID ?? "")\u{1}\(event.source)"
            case .healthCheckStatus(let health): return "health\u{1}\(health.hostID)\u{1}\(health.providerID)"
            default: return nil
            }
        case .v2Heartbeat(let beat, _, _):
            return "v2heartbeat\u{1}\(beat.id)"
        default:
            return nil
        }
    }
}
