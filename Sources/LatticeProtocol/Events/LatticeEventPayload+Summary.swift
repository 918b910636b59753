/// The one readable line per event: the Events pane and `latticetop events --output text`
/// both show it. Network text is not sanitised here (whoever prints it does).
extension LatticeEventPayload {
    public var summary: String {
        switch self {
        case .hostStarted(let e):
            return "host \(e.friendlyName) started" + (e.version.map { " (v\($0))" } ?? "")
        case .hostStopped:
            return "host stopped"
        case .hostHeartbeat(let e):
            return "heartbeat: \(e.components.count) component(s), \(e.providers.count) provider(s)"
        case .labelsChanged(let e):
            return "labels changed: \(e.labels.count) label(s)"
        case .componentScaled(let e):
            return e.maxInstances == 0
                ? "component \(e.componentID) stopped"
                : "component \(e.componentID) scaled to \(e.maxInstances) (\(e.imageRef))"
        case .componentScaleFailed(let e):
            return "component \(e.componentID) failed to scale to \(e.maxInstances): \(e.error)"
        case .providerStarted(let e):
            return "provider \(e.providerID) started (\(e.imageRef))"
        case .providerStartFailed(let e):
            return "provider \(e.providerID) failed to start: \(e.error)"
        case .providerStopped(let e):
            return "provider \(e.providerID) stopped (\(e.reason))"
        case .healthCheckPassed(let e):
            return "provider \(e.providerID) healthy"
        case .healthCheckFailed(let e):
            return "provider \(e.providerID) unhealthy"
        case .healthCheckStatus(let e):
            return "provider \(e.providerID) health unchanged"
        case .linkdefSet(let link):
            return "link set: \(link.sourceID) → \(link.target) \(link.witDescription) (\(link.name))"
        case .linkdefSetFailed(let e):
            return "link refused: \(e.link.sourceID) → \(e.link.target) \(e.link.witDescription) (\(e.link.name)): \(e.error)"
        case .linkdefDeleted(let e):
            let what = "\(e.sourceID) \(e.witNamespace):\(e.witPackage) (\(e.name))"
            if let target = e.target { return "link deleted: \(what) → \(target)" }
            return "link delete: \(what), no link removed (or an older host)"
        case .configSet(let e):
            return "config \(e.configName) set"
        case .configDeleted(let e):
            return "config \(e.configName) deleted"
        case .manifestPublished(let e):
            return "app \(e.name ?? "?") \(e.version ?? "") published"
        case .manifestUnpublished(let e):
            return "app \(e.name) unpublished"
        case .unknown(let type, _):
            return "unknown event type \(type)"
        }
    }
}
