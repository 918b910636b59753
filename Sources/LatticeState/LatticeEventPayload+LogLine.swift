import LatticeProtocol

/// How loud each event is in the Events pane (its line is `LatticeEventPayload.summary`).
extension LatticeEventPayload {
    var logSeverity: EventSeverity {
        switch self {
        case .hostHeartbeat, .healthCheckStatus: return .debug
        case .hostStopped, .linkdefSetFailed, .unknown: return .warning
        case .componentScaleFailed, .providerStartFailed, .healthCheckFailed: return .error
        default: return .info
        }
    }
}
