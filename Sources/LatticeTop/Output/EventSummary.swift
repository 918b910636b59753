import LatticeProtocol

/// One readable line about a lattice event, for `latticetop events --output text`.
enum EventSummary {
    static func text(_ event: LatticeEvent) -> String {
        switch event.payload {
        case .hostStarted(let e): return "host \(e.friendlyName) started (version \(e.version ?? "?"))"
        case .hostStopped: return "host stopped"
        case .hostHeartbeat(let inv):
            return "heartbeat from \(inv.friendlyName): \(inv.components.count) components, \(inv.providers.count) providers, up \(inv.uptimeHuman)"
        case .labelsChanged(let e):
            return "labels now " + e.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        case .componentScaled(let e):
            return e.maxInstances == 0 ? "component \(e.componentID) stopped" : "component \(e.componentID) scaled to \(e.maxInstances) (\(e.imageRef))"
        case .componentScaleFailed(let e): return "component \(e.componentID) failed to scale: \(e.error)"
        case .providerStarted(let e): return "provider \(e.providerID) started (\(e.imageRef))"
        case .providerStartFailed(let e): return "provider \(e.providerID) FAILED TO START: \(e.error)"
        case .providerStopped(let e): return "provider \(e.providerID) stopped (\(e.reason))"
        case .healthCheckPassed(let e): return "provider \(e.providerID) healthy"
        case .healthCheckFailed(let e): return "provider \(e.providerID) UNHEALTHY"
        case .healthCheckStatus(let e): return "provider \(e.providerID) health unchanged"
        case .linkdefSet(let l): return "link set \(describe(l))"
        case .linkdefSetFailed(let e): return "link REFUSED \(describe(e.link)): \(e.error)"
        case .linkdefDeleted(let e):
            return "link deleted \(e.sourceID) -[\(e.witNamespace):\(e.witPackage) \(e.name)]-> \(e.target ?? "?")"
        case .configSet(let e): return "config \(e.configName) set"
        case .configDeleted(let e): return "config \(e.configName) deleted"
        case .manifestPublished: return "wadm manifest published"
        case .manifestUnpublished(let e): return "wadm manifest \(e.name) unpublished"
        case .unknown(let type, let raw): return "unknown event type \(type) (\(raw.count) bytes)"
        }
    }

    static func describe(_ l: Link) -> String {
        "\(l.sourceID) -[\(l.witNamespace):\(l.witPackage)/\(l.interfaces.joined(separator: ",")) \(l.name)]-> \(l.target)"
    }
}
