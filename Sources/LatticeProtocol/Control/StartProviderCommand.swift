import Foundation

/// Body of `provider.start.{hostID}`.
public struct StartProviderCommand: Sendable, Hashable, Codable {
    /// Required.
    public var providerID: String
    /// OCI ref, `file://…`, or `wasmcloud+builtin://http-server|http-client|messaging-nats`.
    public var providerRef: String
    public var hostID: String
    public var config: [String]
    public var annotations: [String: String]?

    public init(
        providerID: String, providerRef: String, hostID: String = "", config: [String] = [],
        annotations: [String: String]? = nil
    ) {
        self.providerID = providerID
        self.providerRef = providerRef
        self.hostID = hostID
        self.config = config
        self.annotations = annotations
    }

    enum CodingKeys: String, CodingKey {
        case providerID = "provider_id"
        case providerRef = "provider_ref"
        case hostID = "host_id"
        case config
        case annotations
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        providerID = try c.decode(String.self, forKey: .providerID)
        providerRef = try c.decode(String.self, forKey: .providerRef, default: "")
        hostID = try c.decode(String.self, forKey: .hostID, default: "")
        config = try c.decode([String].self, forKey: .config, default: [])
        annotations = try c.decodeIfPresent([String: String].self, forKey: .annotations)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(providerID, forKey: .providerID)
        try c.encode(providerRef, forKey: .providerRef)
        try c.encode(hostID, forKey: .hostID)
        try c.encode(config, forKey: .config)
        try c.encodeIfPresent(annotations, forKey: .annotations)
    }
}
