import Foundation
import LatticeProtocol

/// What a lattice event says about an action that was sent.
public enum EventVerdict: Sendable, Equatable {
    /// The event that shows it happened (e.g. `provider_started`).
    case confirmed(event: LatticeEventType)
    /// The event that shows it failed, with the host's error text.
    case refuted(event: LatticeEventType, message: String)
}

extension OperateAction {
    /// The event types that settle this action (also for "waiting for …" messages).
    public var awaitedEvents: [LatticeEventType] {
        switch self {
        case .startProvider: return [.providerStarted, .providerStartFailed]
        case .stopProvider: return [.providerStopped]
        case .scaleComponent, .updateComponent: return [.componentScaled, .componentScaleFailed]
        case .putLabel, .deleteLabel: return [.labelsChanged]
        case .stopHost: return [.hostStopped]
        case .putLink: return [.linkdefSet, .linkdefSetFailed]
        case .deleteLink: return [.linkdefDeleted]
        case .putConfig: return [.configSet]
        case .deleteConfig: return [.configDeleted]
        }
    }

    /// Whether `event` confirms or refutes this action (nil: it is about something else). A
    /// start sent by auction matches on the provider ID alone.
    public func verdict(on event: LatticeEvent) -> EventVerdict? {
        guard let type = event.knownType, awaitedEvents.contains(type) else { return nil }
        switch (self, event.payload) {
        case (.startProvider(let c), .providerStarted(let e)) where e.providerID == c.providerID && Self.same(host: c.hostID, e.hostID):
            return .confirmed(event: type)
        case (.startProvider(let c), .providerStartFailed(let e)) where e.providerID == c.providerID && Self.same(host: c.hostID, e.hostID):
            return .refuted(event: type, message: e.error)
        case (.stopProvider(let h, let id), .providerStopped(let e)) where e.providerID == id && e.hostID == h:
            return .confirmed(event: type)
        case (.scaleComponent(let c), .componentScaled(let e)) where e.componentID == c.componentID && e.hostID == c.hostID:
            return .confirmed(event: type)
        case (.scaleComponent(let c), .componentScaleFailed(let e)) where e.componentID == c.componentID && e.hostID == c.hostID:
            return .refuted(event: type, message: e.error)
        case (.updateComponent(let h, let id, let ref), .componentScaled(let e)) where e.componentID == id && e.hostID == h && e.imageRef == ref:
            return .confirmed(event: type)
        case (.updateComponent(let h, let id, _), .componentScaleFailed(let e)) where e.componentID == id && e.hostID == h:
            return .refuted(event: type, message: e.error)
        case (.putLabel(let h, let key, let value), .labelsChanged(let e)) where e.hostID == h && e.labels[key] == value:
            return .confirmed(event: type)
        case (.deleteLabel(let h, let key), .labelsChanged(let e)) where e.hostID == h && e.labels[key] == nil:
            return .confirmed(event: type)
        case (.stopHost(let h), .hostStopped) where event.source == h:
            return .confirmed(event: type)
        case (.putLink(let l), .linkdefSet(let e)) where Self.sameSlot(l, e):
            return .confirmed(event: type)
        case (.putLink(let l), .linkdefSetFailed(let e)) where Self.sameSlot(l, e.link):
            return .refuted(event: type, message: e.error)
        case (.deleteLink(let d), .linkdefDeleted(let e))
            where e.sourceID == d.sourceID && e.witNamespace == d.witNamespace && e.witPackage == d.witPackage && e.name == d.name:
            return .confirmed(event: type)
        case (.putConfig(let name, _), .configSet(let e)) where e.configName == name:
            return .confirmed(event: type)
        case (.deleteConfig(let name), .configDeleted(let e)) where e.configName == name:
            return .confirmed(event: type)
        default:
            return nil
        }
    }

    /// Whether the host's acknowledgement already settles the action, because no event follows
    /// it: a `link.del` whose source has no component spec is answered "successfully deleted
    /// link (spec doesn't exist)" and publishes no `linkdef_deleted`.
    public func isSettledByReply(_ hostMessage: String) -> Bool {
        if case .deleteLink = self { return hostMessage.contains("spec doesn't exist") }
        return false
    }

    /// A start of a builtin provider (`wasmcloud+builtin://…`), which a host whose experimental
    /// feature for it is off does not answer at all.
    public var startsBuiltinProvider: Bool {
        if case .startProvider(let c) = self { return c.providerRef.hasPrefix("wasmcloud+builtin://") }
        return false
    }

    private static func same(host wanted: String, _ actual: String) -> Bool { wanted.isEmpty || wanted == actual }

    private static func sameSlot(_ a: Link, _ b: Link) -> Bool {
        a.sourceID == b.sourceID && a.witNamespace == b.witNamespace && a.witPackage == b.witPackage && a.name == b.name
            && a.target == b.target
    }
}
