import Foundation

/// A decoded control request body, one case per body type; what a host (or the simulator)
/// gets after dispatching on `CtlOperation`.
public enum CtlRequestBody: Sendable, Hashable, Codable {
    /// The operation ignores its body (`host.ping`, `host.get`, `link.get`, `config.get`,
    /// `config.del`, `claims.get`).
    case empty
    case stopHost(StopHostCommand)
    case scaleComponent(ScaleComponentCommand)
    case updateComponent(UpdateComponentCommand)
    case componentAuction(ComponentAuctionRequest)
    case startProvider(StartProviderCommand)
    case stopProvider(StopProviderCommand)
    case providerAuction(ProviderAuctionRequest)
    case linkPut(Link)
    case linkDelete(DeleteInterfaceLinkDefinitionRequest)
    case configPut(ConfigMap)
    case labelPut(HostLabel)
    case labelDelete(HostLabelIdentifier)
    case registryPut(RegistryCredentialMap)

    /// Decodes `data` the way a 1.9 host does for `operation`. Throws `DecodingError` when the
    /// body does not fit (the host then replies `success: false`).
    public static func decode(_ data: Data, for operation: CtlOperation) throws -> CtlRequestBody {
        func body<T: Decodable>(_ type: T.Type) throws -> T { try WireJSON.decode(type, from: data) }
        switch operation {
        case .hostPing, .hostGet, .linkGet, .configGet, .configDelete, .claimsGet: return .empty
        case .hostStop: return .stopHost(try StopHostCommand.decodeRequestBody(data))
        case .componentScale: return .scaleComponent(try body(ScaleComponentCommand.self))
        case .componentUpdate: return .updateComponent(try body(UpdateComponentCommand.self))
        case .componentAuction: return .componentAuction(try body(ComponentAuctionRequest.self))
        case .providerStart: return .startProvider(try body(StartProviderCommand.self))
        case .providerStop: return .stopProvider(try body(StopProviderCommand.self))
        case .providerAuction: return .providerAuction(try body(ProviderAuctionRequest.self))
        case .linkPut: return .linkPut(try body(Link.self))
        case .linkDelete: return .linkDelete(try body(DeleteInterfaceLinkDefinitionRequest.self))
        case .configPut: return .configPut(try body(ConfigMap.self))
        case .labelPut: return .labelPut(try body(HostLabel.self))
        case .labelDelete: return .labelDelete(try body(HostLabelIdentifier.self))
        case .registryPut: return .registryPut(try body(RegistryCredentialMap.self))
        }
    }

    /// The wire bytes of this body (`.empty` is an empty payload).
    public func encoded() throws -> Data {
        switch self {
        case .empty: return Data()
        case .stopHost(let value): return try WireJSON.encode(value)
        case .scaleComponent(let value): return try WireJSON.encode(value)
        case .updateComponent(let value): return try WireJSON.encode(value)
        case .componentAuction(let value): return try WireJSON.encode(value)
        case .startProvider(let value): return try WireJSON.encode(value)
        case .stopProvider(let value): return try WireJSON.encode(value)
        case .providerAuction(let value): return try WireJSON.encode(value)
        case .linkPut(let value): return try WireJSON.encode(value)
        case .linkDelete(let value): return try WireJSON.encode(value)
        case .configPut(let value): return try WireJSON.encode(value)
        case .labelPut(let value): return try WireJSON.encode(value)
        case .labelDelete(let value): return try WireJSON.encode(value)
        case .registryPut(let value): return try WireJSON.encode(value)
        }
    }
}
