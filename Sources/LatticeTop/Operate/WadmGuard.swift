import Foundation
import LatticeProtocol
import LatticeState

/// Finds the wadm application that manages what an action touches: a component or provider
/// whose annotations say wadm manages it (or name its app), and links or config that belong to
/// such a component or provider. wadm reconciles its apps, so a manual change to them is
/// reverted; the confirm dialog says so and offers to open the app instead.
public enum WadmGuard {
    public struct Finding: Sendable, Equatable {
        /// The app name ("" when wadm manages it but no app is named).
        public var application: String
        /// What is managed by which app (the dialog adds `revertNote`).
        public var warning: String
    }

    public static let revertNote = "wadm will revert this change — change the app's manifest instead"


    public static func check(_ action: OperateAction, in state: LatticeState) -> Finding? {
        guard let (app, what) = manager(of: action, in: state) else { return nil }
        let name = app.isEmpty ? "a wadm application" : "wadm app '\(app)'"
        return Finding(application: app, warning: "\(what) is managed by \(name)")
    }

    /// The app (or "" for unnamed) and a description of the managed thing.
    static func manager(of action: OperateAction, in state: LatticeState) -> (String, String)? {
        switch action {
        case .stopProvider(let h, let id):
            return state.hosts[h]?.providers[id].flatMap { managed($0.annotations).map { ($0, "provider \(id)") } }
        case .startProvider(let c):
            return state.allProviders.first { $0.id == c.providerID && managed($0.annotations) != nil }
                .flatMap { managed($0.annotations) }.map { ($0, "provider \(c.providerID)") }
        case .scaleComponent(let c):
            return state.hosts[c.hostID]?.components[c.componentID].flatMap { managed($0.annotations).map { ($0, "component \(c.componentID)") } }
        case .updateComponent(let h, let id, _):
            return state.hosts[h]?.components[id].flatMap { managed($0.annotations).map { ($0, "component \(id)") } }
        case .putLink(let l):
            return endpoint(l.sourceID, state).map { ($0, "the link's source \(l.sourceID)") }
                ?? endpoint(l.target, state).map { ($0, "the link's target \(l.target)") }
        case .deleteLink(let d):
            if let app = endpoint(d.sourceID, state) { return (app, "the link's source \(d.sourceID)") }
            let targets = state.linkReports.map(\.record.link).filter {
                $0.sourceID == d.sourceID && $0.witNamespace == d.witNamespace && $0.witPackage == d.witPackage && $0.name == d.name
            }.map(\.target)
            return targets.lazy.compactMap { t in endpoint(t, state).map { ($0, "the link's target \(t)") } }.first
        case .putConfig(let name, _), .deleteConfig(let name):
            for link in state.linkReports.map(\.record.link) where link.sourceConfig.contains(name) || link.targetConfig.contains(name) {
                if let app = endpoint(link.sourceID, state) ?? endpoint(link.target, state) {
                    return (app, "config \(name) (used by a link of \(link.sourceID))")
                }
            }
            return nil
        case .putLabel, .deleteLabel, .stopHost:
            return nil
        }
    }

    /// The app of a component or provider with this ID anywhere in the lattice.
    static func endpoint(_ id: String, _ state: LatticeState) -> String? {
        for c in state.allComponents where c.id == id { if let app = managed(c.annotations) { return app } }
        for p in state.allProviders where p.id == id { if let app = managed(p.annotations) { return app } }
        return nil
    }

    static func managed(_ annotations: [String: String]) -> String? {
        if let app = WadmAnnotations.application(annotations) { return app }
        return WadmAnnotations.isManagedByWadm(annotations) ? "" : nil
    }
}
