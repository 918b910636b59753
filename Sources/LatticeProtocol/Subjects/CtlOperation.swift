import Foundation

/// Every wasmCloud 1.x control operation (`{prefix}.v1.{lattice}.{noun}.{verb}[.{target}]`).
/// The raw value is the `noun.verb` part of the subject.
public enum CtlOperation: String, Sendable, Hashable, Codable, CaseIterable {
    case hostPing = "host.ping"
    case hostGet = "host.get"
    case hostStop = "host.stop"
    case componentScale = "component.scale"
    case componentUpdate = "component.update"
    case componentAuction = "component.auction"
    case providerStart = "provider.start"
    case providerStop = "provider.stop"
    case providerAuction = "provider.auction"
    case linkGet = "link.get"
    case linkPut = "link.put"
    case linkDelete = "link.del"
    case configGet = "config.get"
    case configPut = "config.put"
    case configDelete = "config.del"
    case labelPut = "label.put"
    case labelDelete = "label.del"
    case claimsGet = "claims.get"
    case registryPut = "registry.put"

    /// What the last subject token names, if the operation has one.
    public enum TargetKind: String, Sendable, Hashable, Codable {
        case none
        case hostID
        case configName
    }

    /// How replies come back.
    public enum Delivery: String, Sendable, Hashable, Codable {
        /// Every host answers; collect for a window.
        case scatterGather
        /// One host answers (host-addressed, or a queue group).
        case requestReply
        /// Every host receives it; a reply only if a reply subject was given.
        case fanOut
    }

    public var noun: String { String(rawValue.prefix { $0 != "." }) }
    public var verb: String { String(rawValue.drop { $0 != "." }.dropFirst()) }

    public var targetKind: TargetKind {
        switch self {
        case .hostGet, .hostStop, .componentScale, .componentUpdate, .providerStart, .providerStop,
             .labelPut, .labelDelete:
            return .hostID
        case .configGet, .configPut, .configDelete:
            return .configName
        case .hostPing, .componentAuction, .providerAuction, .linkGet, .linkPut, .linkDelete,
             .claimsGet, .registryPut:
            return .none
        }
    }

    public var delivery: Delivery {
        switch self {
        case .hostPing, .componentAuction, .providerAuction: return .scatterGather
        case .registryPut: return .fanOut
        default: return .requestReply
        }
    }

    /// `true` when the host ignores the request body (clients send an empty payload).
    public var ignoresRequestBody: Bool {
        switch self {
        case .hostPing, .hostGet, .linkGet, .configGet, .configDelete, .claimsGet: return true
        default: return false
        }
    }

    public init?(noun: String, verb: String) {
        self.init(rawValue: noun + "." + verb)
    }
}
