import Foundation

/// A decoded control reply, typed by the operation it answers.
public enum CtlReply: Sendable, Hashable, Codable {
    case ack(CtlAck)
    case host(CtlResponse<HostInfo>)
    case inventory(CtlResponse<HostInventory>)
    case links(CtlResponse<[Link]>)
    case config(CtlResponse<ConfigMap>)
    case claims(CtlResponse<ClaimsList>)
    case componentAuction(CtlResponse<ComponentAuctionAck>)
    case providerAuction(CtlResponse<ProviderAuctionAck>)

    /// Decodes one reply payload to `operation`.
    public static func decode(_ data: Data, for operation: CtlOperation) throws -> CtlReply {
        func reply<T>(_ type: CtlResponse<T>.Type) throws -> CtlResponse<T> { try WireJSON.decode(type, from: data) }
        switch operation {
        case .hostPing: return .host(try reply(CtlResponse<HostInfo>.self))
        case .hostGet: return .inventory(try reply(CtlResponse<HostInventory>.self))
        case .linkGet: return .links(try reply(CtlResponse<[Link]>.self))
        case .configGet: return .config(try reply(CtlResponse<ConfigMap>.self))
        case .claimsGet: return .claims(try reply(CtlResponse<ClaimsList>.self))
        case .componentAuction: return .componentAuction(try reply(CtlResponse<ComponentAuctionAck>.self))
        case .providerAuction: return .providerAuction(try reply(CtlResponse<ProviderAuctionAck>.self))
        case .hostStop, .componentScale, .componentUpdate, .providerStart, .providerStop, .linkPut,
             .linkDelete, .configPut, .configDelete, .labelPut, .labelDelete, .registryPut:
            return .ack(try reply(CtlAck.self))
        }
    }

    public var success: Bool {
        switch self {
        case .ack(let r): return r.success
        case .host(let r): return r.success
        case .inventory(let r): return r.success
        case .links(let r): return r.success
        case .config(let r): return r.success
        case .claims(let r): return r.success
        case .componentAuction(let r): return r.success
        case .providerAuction(let r): return r.success
        }
    }

    public var message: String {
        switch self {
        case .ack(let r): return r.message
        case .host(let r): return r.message
        case .inventory(let r): return r.message
        case .links(let r): return r.message
        case .config(let r): return r.message
        case .claims(let r): return r.message
        case .componentAuction(let r): return r.message
        case .providerAuction(let r): return r.message
        }
    }

    /// The reply's wire bytes.
    public func encoded() throws -> Data {
        switch self {
        case .ack(let r): return try WireJSON.encode(r)
        case .host(let r): return try WireJSON.encode(r)
        case .inventory(let r): return try WireJSON.encode(r)
        case .links(let r): return try WireJSON.encode(r)
        case .config(let r): return try WireJSON.encode(r)
        case .claims(let r): return try WireJSON.encode(r)
        case .componentAuction(let r): return try WireJSON.encode(r)
        case .providerAuction(let r): return try WireJSON.encode(r)
        }
    }
}
