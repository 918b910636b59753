import LatticeProtocol

/// One readable line per event for the Events pane.
extension LatticeEvent {
    var logLine: (summary: String, severity: EventSeverity) {
        switch payload {
        case .hostStarted(let e):
            return ("host \(e.friendlyName) started" + (e.version.map { " (v\($0))" } ?? ""), .info)
        case .hostStopped:
            return ("host stopped", .warning)
        case .hostHeartbeat(let e):
            return ("heartbeat: \(e.components.count) component(s), \(e.providers.count) provider(s)", .debug)
        case .labelsChanged(let e):
            return ("labels changed: \(e.labels.count) label(s)", .info)
        case .componentScaled(let e):
            return e.maxInstances == 0
                ? ("component \(e.componentID) stopped", .info)
                : ("component \(e.componentID) scaled to \(e.maxInstances) (\(e.imageRef))", .info)
        case .componentScaleFailed(let e):
            return ("component \(e.componentID) failed to scale to \(e.maxInstances): \(e.error)", .error)
        case .providerStarted(let e):
            return ("provider \(e.providerID) started (\(e.imageRef))", .info)
        case .providerStartFailed(let e):
            return ("provider \(e.providerID) failed to start: \(e.error)", .error)
        case .providerStopped(let e):
            return ("provider \(e.providerID) stopped (\(e.reason))", .info)
        case .healthCheckPassed(let e):
            return ("provider \(e.providerID) healthy", .info)
        case .healthCheckFailed(let e):
            return ("provider \(e.providerID) unhealthy", .error)
        case .healthCheckStatus(let e):
            return ("provider \(e.providerID) health unchanged", .debug)
        case .linkdefSet(let link):
            return ("link set: \(link.sourceID) → \(link.target) \(link.witDescription) (\(link.name))", .info)
        case .linkdefSetFailed(let e):
            return ("link refused: \(e.link.sourceID) → \(e.link.target) \(e.link.witDescription) (\(e.link.name)): \(e.error)", .warning)
        case .linkdefDeleted(let e):
            let what = "\(e.sourceID) \(e.witNamespace):\(e.witPackage) (\(e.name))"
            if let target = e.target { return ("link deleted: \(what) → \(target)", .info) }
            return ("link delete: \(what), no link removed (or an older host)", .info)
        case .configSet(let e):
            return ("config \(e.configName) set", .info)
        case .configDeleted(let e):
            return ("config \(e.configName) deleted", .info)
        case .manifestPublished(let e):
            return ("app \(e.name ?? "?") \(e.version ?? "") published", .info)
        case .manifestUnpublished(let e):
            return ("app \(e.name) unpublished", .info)
        case .unknown(let type, _):
            return ("unknown event type \(type)", .warning)
        }
    }
}
