import Foundation

/// Body of `provider.stop.{hostID}`. The host also accepts `provider_ref` as an alias of
/// `provider_id`, and so does this decoder.
public struct StopProviderCommand: Sendable, Hashable, Codable {
    public var hostID: String
    public var providerID: String

    public init(providerID: String, hostID: String = "") {
        self.providerID = providerID
        self.hostID = hostID
    }

    enum CodingKeys: String, CodingKey {
        case hostID = "host_id"
        case providerID = "provider_id"
        case providerRef = "provider_ref"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hostID = try c.decode(String.self, forKey: .hostID, default: "")
        providerID = try c.decodeIfPresent(String.self, forKey: .providerID)
            ?? c.decode(String.self, forKey: .providerRef, default: "")
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(hostID, forKey: .hostID)
        try c.encode(providerID, forKey: .providerID)
    }
}
