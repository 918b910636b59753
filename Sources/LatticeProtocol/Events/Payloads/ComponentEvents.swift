import Foundation

/// Claims attached to `component_scaled` for signed components. Every key is always written;
/// absent values are `null`.
public struct ComponentClaims: Sendable, Hashable, Codable {
    public var callAlias: String?
    public var issuer: String
    public var tags: [String]?
    public var name: String?
    public var version: String?
    public var revision: Int32?
    /// Epoch seconds as a string, `"never"` (v1.6+) or `"TODO"` (v1.0–v1.5).
    public var notBeforeHuman: String
    public var expiresHuman: String

    public init(
        callAlias: String? = nil, issuer: String, tags: [String]? = [], name: String?, version: String?,
        revision: Int32?, notBeforeHuman: String = "never", expiresHuman: String = "never"
    ) {
        self.callAlias = callAlias
        self.issuer = issuer
        self.tags = tags
        self.name = name
        self.version = version
        self.revision = revision
        self.notBeforeHuman = notBeforeHuman
        self.expiresHuman = expiresHuman
    }

    enum CodingKeys: String, CodingKey {
        case callAlias = "call_alias"
        case issuer, tags, name, version, revision
        case notBeforeHuman = "not_before_human"
        case expiresHuman = "expires_human"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        callAlias = try c.decodeIfPresent(String.self, forKey: .callAlias)
        issuer = try c.decode(String.self, forKey: .issuer, default: "")
        tags = try c.decodeIfPresent([String].self, forKey: .tags)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        version = try c.decodeIfPresent(String.self, forKey: .version)
        revision = try c.decodeIfPresent(Int32.self, forKey: .revision)
        notBeforeHuman = try c.decode(String.self, forKey: .notBeforeHuman, default: "")
        expiresHuman = try c.decode(String.self, forKey: .expiresHuman, default: "")
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(callAlias, forKey: .callAlias)
        try c.encode(issuer, forKey: .issuer)
        try c.encode(tags, forKey: .tags)
        try c.encode(name, forKey: .name)
        try c.encode(version, forKey: .version)
        try c.encode(revision, forKey: .revision)
        try c.encode(notBeforeHuman, forKey: .notBeforeHuman)
        try c.encode(expiresHuman, forKey: .expiresHuman)
    }
}

/// `component_scaled` data. `maxInstances == 0` means the component stopped.
public struct ComponentScaledEvent: Sendable, Hashable, Codable {
    public var annotations: [String: String]
    public var hostID: String
    public var imageRef: String
    public var maxInstances: UInt32
    public var componentID: String
    /// The component's claims subject (signed components only), not a host key.
    public var publicKey: String?
    public var claims: ComponentClaims?

    public init(
        annotations: [String: String] = [:], hostID: String, imageRef: String, maxInstances: UInt32,
        componentID: String, publicKey: String? = nil, claims: ComponentClaims? = nil
    ) {
        self.annotations = annotations
        self.hostID = hostID
        self.imageRef = imageRef
        self.maxInstances = maxInstances
        self.componentID = componentID
        self.publicKey = publicKey
        self.claims = claims
    }

    enum CodingKeys: String, CodingKey {
        case annotations
        case hostID = "host_id"
        case imageRef = "image_ref"
        case maxInstances = "max_instances"
        case componentID = "component_id"
        case publicKey = "public_key"
        case claims
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        annotations = try c.decode([String: String].self, forKey: .annotations, default: [:])
        hostID = try c.decode(String.self, forKey: .hostID, default: "")
        imageRef = try c.decode(String.self, forKey: .imageRef, default: "")
        maxInstances = try c.decode(UInt32.self, forKey: .maxInstances)
        componentID = try c.decode(String.self, forKey: .componentID)
        publicKey = try c.decodeIfPresent(String.self, forKey: .publicKey)
        claims = try c.decodeIfPresent(ComponentClaims.self, forKey: .claims)
    }
}

/// `component_scale_failed` data.
public struct ComponentScaleFailedEvent: Sendable, Hashable, Codable {
    public var annotations: [String: String]
    public var componentID: String
    public var hostID: String
    public var imageRef: String
    public var maxInstances: UInt32
    public var error: String
    public var publicKey: String?

    public init(
        annotations: [String: String] = [:], componentID: String, hostID: String, imageRef: String,
        maxInstances: UInt32, error: String, publicKey: String? = nil
    ) {
        self.annotations = annotations
        self.componentID = componentID
        self.hostID = hostID
        self.imageRef = imageRef
        self.maxInstances = maxInstances
        self.error = error
        self.publicKey = publicKey
    }

    enum CodingKeys: String, CodingKey {
        case annotations
        case componentID = "component_id"
        case hostID = "host_id"
        case imageRef = "image_ref"
        case maxInstances = "max_instances"
        case error
        case publicKey = "public_key"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        annotations = try c.decode([String: String].self, forKey: .annotations, default: [:])
        componentID = try c.decode(String.self, forKey: .componentID)
        hostID = try c.decode(String.self, forKey: .hostID, default: "")
        imageRef = try c.decode(String.self, forKey: .imageRef, default: "")
        maxInstances = try c.decode(UInt32.self, forKey: .maxInstances, default: 0)
        error = try c.decode(String.self, forKey: .error, default: "")
        publicKey = try c.decodeIfPresent(String.self, forKey: .publicKey)
    }
}
