import Foundation
import LatticeClient
import LatticeProtocol

/// One change to the lattice, as typed data: what the UI asks for and what the mutation runner
/// sends. Each action knows its control subject and wire body (the same ones `LatticeClient`
/// sends), the `wash` command that does the same, the events that confirm or refute it
/// (`OperateAction+Events`), and whether it destroys something (then it needs a confirm).
public enum OperateAction: Sendable, Hashable {
    /// `provider.start.{host}`; an empty `hostID` means "by auction" (the runner asks
    /// `provider.auction` and starts it on the first host that answers).
    case startProvider(StartProviderCommand)
    case stopProvider(hostID: String, providerID: String)
    /// `component.scale.{host}`; a count of 0 stops the component.
    case scaleComponent(ScaleComponentCommand)
    case updateComponent(hostID: String, componentID: String, imageRef: String)
    case putLabel(hostID: String, key: String, value: String)
    case deleteLabel(hostID: String, key: String)
    case stopHost(hostID: String)
    case putLink(Link)
    case deleteLink(DeleteInterfaceLinkDefinitionRequest)
    case putConfig(name: String, values: [String: String])
    case deleteConfig(name: String)

    /// The host the request is addressed to (nil for lattice-wide requests and auctions).
    public var hostID: String? {
        switch self {
        case .startProvider(let c): return c.hostID.isEmpty ? nil : c.hostID
        case .scaleComponent(let c): return c.hostID.isEmpty ? nil : c.hostID
        case .stopProvider(let h, _), .updateComponent(let h, _, _), .putLabel(let h, _, _), .deleteLabel(let h, _), .stopHost(let h):
            return h
        case .putLink, .deleteLink, .putConfig, .deleteConfig: return nil
        }
    }

    /// A short verb phrase: "start provider", "delete link" …
    public var verb: String {
        switch self {
        case .startProvider: return "start provider"
        case .stopProvider: return "stop provider"
        case .scaleComponent(let c): return c.count == 0 ? "stop component" : "scale component"
        case .updateComponent: return "update component"
        case .putLabel: return "put label"
        case .deleteLabel: return "delete label"
        case .stopHost: return "stop host"
        case .putLink: return "put link"
        case .deleteLink: return "delete link"
        case .putConfig: return "put config"
        case .deleteConfig: return "delete config"
        }
    }

    /// What it acts on, e.g. the provider ID, `source → target (ns:pkg)`, the config name.
    public var object: String {
        switch self {
        case .startProvider(let c): return c.providerID
        case .stopProvider(_, let id): return id
        case .scaleComponent(let c): return c.componentID
        case .updateComponent(_, let id, _): return id
        case .putLabel(_, let key, let value): return "\(key)=\(SecretMask.mask(key: key, value: value))"
        case .deleteLabel(_, let key): return key
        case .stopHost(let h): return h
        case .putLink(let l): return "\(l.sourceID) → \(l.target) (\(l.witNamespace):\(l.witPackage), \(l.name))"
        case .deleteLink(let d): return "\(d.sourceID) (\(d.witNamespace):\(d.witPackage), \(d.name))"
        case .putConfig(let name, _), .deleteConfig(let name): return name
        }
    }

    /// Stops or deletes something (or scales it to zero): the UI asks for a confirm first.
    public var isDestructive: Bool {
        switch self {
        case .stopProvider, .stopHost, .deleteLink, .deleteConfig, .deleteLabel: return true
        case .scaleComponent(let c): return c.count == 0
        default: return false
        }
    }

    /// The control subject it is sent on.
    public func subject(_ s: CtlSubjects) -> String {
        switch self {
        case .startProvider(let c): return c.hostID.isEmpty ? s.providerAuction : s.providerStart(hostID: c.hostID)
        case .stopProvider(let h, _): return s.providerStop(hostID: h)
        case .scaleComponent(let c): return s.componentScale(hostID: c.hostID)
        case .updateComponent(let h, _, _): return s.componentUpdate(hostID: h)
        case .putLabel(let h, _, _): return s.labelPut(hostID: h)
        case .deleteLabel(let h, _): return s.labelDelete(hostID: h)
        case .stopHost(let h): return s.hostStop(hostID: h)
        case .putLink: return s.linkPut
        case .deleteLink: return s.linkDelete
        case .putConfig(let name, _): return s.configPut(name: name)
        case .deleteConfig(let name): return s.configDelete(name: name)
        }
    }

    /// The request body as a host receives it.
    public func body() -> Data {
        func json<T: Encodable>(_ v: T) -> Data { (try? WireJSON.encode(v)) ?? Data() }
        switch self {
        case .startProvider(let c): return json(c)
        case .stopProvider(let h, let id): return json(StopProviderCommand(providerID: id, hostID: h))
        case .scaleComponent(let c): return json(c)
        case .updateComponent(let h, let id, let ref):
            return json(UpdateComponentCommand(componentID: id, newComponentRef: ref, hostID: h, annotations: nil))
        case .putLabel(_, let key, let value): return json(HostLabel(key: key, value: value))
        case .deleteLabel(_, let key): return json(HostLabelIdentifier(key: key))
        case .stopHost: return json(StopHostCommand(timeout: nil))
        case .putLink(let l): return json(l)
        case .deleteLink(let d): return json(d)
        case .putConfig(_, let values): return json(values)
        case .deleteConfig: return Data()
        }
    }

    /// The body with secret-looking values masked, as one line of JSON (for the audit log).
    public func maskedBody() -> String {
        switch self {
        case .putLabel(_, let key, let value):
            // The label's own key decides; the JSON field called "key" is not a secret.
            let masked = HostLabel(key: key, value: SecretMask.mask(key: key, value: value))
            return String(decoding: (try? WireJSON.encode(masked)) ?? Data(), as: UTF8.self)
        default:
            return SecretMask.maskJSON(body())
        }
    }

    /// Sends it with `client` (which validates its arguments first) and returns the host's
    /// message. A start without a host runs the auction first (see `MutationRunner`).
    func send(_ client: LatticeClient) async throws(LatticeClientError) -> String {
        switch self {
        case .startProvider(let c): return try await client.startProvider(hostID: c.hostID, c)
        case .stopProvider(let h, let id): return try await client.stopProvider(hostID: h, providerID: id)
        case .scaleComponent(let c): return try await client.scaleComponent(hostID: c.hostID, c)
        case .updateComponent(let h, let id, let ref): return try await client.updateComponent(hostID: h, componentID: id, newReference: ref)
        case .putLabel(let h, let key, let value): return try await client.putLabel(hostID: h, key: key, value: value)
        case .deleteLabel(let h, let key): return try await client.deleteLabel(hostID: h, key: key)
        case .stopHost(let h): return try await client.stopHost(hostID: h)
        case .putLink(let l): return try await client.putLink(l)
        case .deleteLink(let d): return try await client.deleteLink(d)
        case .putConfig(let name, let values): return try await client.putConfig(name: name, values: values)
        case .deleteConfig(let name): return try await client.deleteConfig(name: name)
        }
    }
}
