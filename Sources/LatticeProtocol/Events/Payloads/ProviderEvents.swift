import Foundation

/// Claims attached to `provider_started` for signed providers. Every key is always written;
/// absent values are `null` (`tags` is always `null` from 1.x hosts).
public struct ProviderClaims: Sendable, Hashable, Codable {
    public var issuer: String
    public var tags: [String]?
    public var name: String?
    public var version: String?
    public var notBeforeHuman: String
    public var expiresHuman: String

    public init(
        issuer: String, tags: [String]? = nil, name: String?, version: String?,
        notBeforeHuman: String = "never", expiresHuman: String = "never"
    ) {
        self.issuer = issuer
        self.tags = tags
        self.name = name
        self.version = version
        self.notBeforeHuman = notBeforeHuman
        self.expiresHuman = expiresHuman
    }

    enum CodingKeys: String, CodingKey {
        case issuer, tags, name, version
        case notBeforeHuman = "not_before_human"
        case expiresHuman = "expires_human"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        issuer = try c.decode(String.self, forKey: .issuer, default: "")
        tags = try c.decodeIfPresent([String].self, forKey: .tags)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        version = try c.decodeIfPresent(String.self, forKey: .version)
        notBeforeHuman = try c.decode(String.self, forKey: .notBeforeHuman, default: "")
        expiresHuman = try c.decode(String.self, forKey: .expiresHuman, default: "")
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(issuer, forKey: .issuer)
        try c.encode(tags, forKey: .tags)
        try c.encode(name, forKey: .name)
        try c.encode(version, forKey: .version)
        try c.encode(notBeforeHuman, forKey: .notBeforeHuman)
        try c.encode(expiresHuman, forKey: .expiresHuman)
    }
}

/// `provider_started` data. Signed providers also carry `claims` and the legacy keys
/// `instance_id`, `public_key` (both = provider ID) and `link_name` (`"default"`).
public struct ProviderStartedEvent: Sendable, Hashable, Codable {
    public var hostID: String
    public var imageRef: String
    public var providerID: String
    public var annotations: [String: String]
    public var claims: ProviderClaims?
    public var instanceID: String?
    public var publicKey: String?
    public var linkName: String?

    public init(
        hostID: String, imageRef: String, providerID: String, annotations: [String: String] = [:],
        claims: ProviderClaims? = nil, instanceID: String? = nil, publicKey: String? = nil, linkName: String? = nil
    ) {
        self.hostID = hostID
        self.imageRef = imageRef
        self.providerID = providerID
        self.annotations = annotations
        self.claims = claims
        self.instanceID = instanceID
        self.publicKey = publicKey
        self.linkName = linkName
    }

    enum CodingKeys: String, CodingKey {
        case hostID = "host_id"
        case imageRef = "image_ref"
        case providerID = "provider_id"
        case annotations
        case claims
        case instanceID = "instance_id"
        case publicKey = "public_key"
        case linkName = "link_name"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hostID = try c.decode(String.self, forKey: .hostID, default: "")
        imageRef = try c.decode(String.self, forKey: .imageRef, default: "")
        providerID = try c.decode(String.self, forKey: .providerID)
        annotations = try c.decode([String: String].self, forKey: .annotations, default: [:])
        claims = try c.decodeIfPresent(ProviderClaims.self, forKey: .claims)
        instanceID = try c.decodeIfPresent(String.self, forKey: .instanceID)
        publicKey = try c.decodeIfPresent(String.self, forKey: .publicKey)
        linkName = try c.decodeIfPresent(String.self, forKey: .linkName)
    }
}

/// `provider_start_failed` data. `host_id` only exists since v1.6; older events get the
/// envelope `source` (see `LatticeEvent`).
public struct ProviderStartFailedEvent: Sendable, Hashable, Codable {
    public var providerRef: String
    public var providerID: String
    public var hostID: String
    public var error: String
    public var linkName: String?

    public init(providerRef: String, providerID: String, hostID: String, error: String, linkName: String? = Link.defaultName) {
        self.providerRef = providerRef
        self.providerID = providerID
        self.hostID = hostID
        self.error = error
        self.linkName = linkName
    }

    enum CodingKeys: String, CodingKey {
        case providerRef = "provider_ref"
        case providerID = "provider_id"
        case hostID = "host_id"
        case error
        case linkName = "link_name"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        providerRef = try c.decode(String.self, forKey: .providerRef, default: "")
        providerID = try c.decode(String.self, forKey: .providerID)
        hostID = try c.decode(String.self, forKey: .hostID, default: "")
        error = try c.decode(String.self, forKey: .error, default: "")
        linkName = try c.decodeIfPresent(String.self, forKey: .linkName)
    }
}

/// `provider_stopped` data. `reason` is `"stop"` from 1.x hosts (`"normal"` in 0.x).
public struct ProviderStoppedEvent: Sendable, Hashable, Codable {
    public var hostID: String
    public var providerID: String
    public var annotations: [String: String]
    public var reason: String
    public var instanceID: String?
    public var publicKey: String?
    public var linkName: String?

    public init(
        hostID: String, providerID: String, annotations: [String: String] = [:], reason: String = "stop",
        instanceID: String? = nil, publicKey: String? = nil, linkName: String? = nil
    ) {
        self.hostID = hostID
        self.providerID = providerID
        self.annotations = annotations
        self.reason = reason
        self.instanceID = instanceID
        self.publicKey = publicKey
        self.linkName = linkName
    }

    enum CodingKeys: String, CodingKey {
        case hostID = "host_id"
        case providerID = "provider_id"
        case annotations
        case reason
        case instanceID = "instance_id"
        case publicKey = "public_key"
        case linkName = "link_name"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hostID = try c.decode(String.self, forKey: .hostID, default: "")
        providerID = try c.decode(String.self, forKey: .providerID)
        annotations = try c.decode([String: String].self, forKey: .annotations, default: [:])
        reason = try c.decode(String.self, forKey: .reason, default: "")
        instanceID = try c.decodeIfPresent(String.self, forKey: .instanceID)
        publicKey = try c.decodeIfPresent(String.self, forKey: .publicKey)
        linkName = try c.decodeIfPresent(String.self, forKey: .linkName)
    }
}
