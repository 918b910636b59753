import Foundation

/// Body of `provider.auction`.
public struct ProviderAuctionRequest: Sendable, Hashable, Codable {
    public var providerRef: String
    public var providerID: String
    public var constraints: [String: String]

    public init(providerRef: String = "", providerID: String, constraints: [String: String]) {
        self.providerRef = providerRef
        self.providerID = providerID
        self.constraints = constraints
    }

    enum CodingKeys: String, CodingKey {
        case providerRef = "provider_ref"
        case providerID = "provider_id"
        case constraints
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        providerRef = try c.decode(String.self, forKey: .providerRef, default: "")
        providerID = try c.decode(String.self, forKey: .providerID)
        constraints = try c.decode([String: String].self, forKey: .constraints)
    }
}

/// One qualifying host's answer to a provider auction.
public struct ProviderAuctionAck: Sendable, Hashable, Codable {
    public var hostID: String
    public var providerRef: String
    public var providerID: String
    public var constraints: [String: String]

    public init(hostID: String, providerRef: String, providerID: String, constraints: [String: String]) {
        self.hostID = hostID
        self.providerRef = providerRef
        self.providerID = providerID
        self.constraints = constraints
    }

    enum CodingKeys: String, CodingKey {
        case hostID = "host_id"
        case providerRef = "provider_ref"
        case providerID = "provider_id"
        case constraints
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hostID = try c.decode(String.self, forKey: .hostID, default: "")
        providerRef = try c.decode(String.self, forKey: .providerRef, default: "")
        providerID = try c.decode(String.self, forKey: .providerID, default: "")
        constraints = try c.decode([String: String].self, forKey: .constraints, default: [:])
    }
}
