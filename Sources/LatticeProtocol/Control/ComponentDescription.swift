import Foundation

/// A running component, as listed in `HostInventory.components`.
public struct ComponentDescription: Sendable, Hashable, Codable {
    public var id: String
    public var imageRef: String
    /// From embedded claims, if signed.
    public var name: String?
    /// The host always fills this (possibly empty).
    public var annotations: [String: String]?
    /// 0 when unsigned.
    public var revision: Int32
    public var maxInstances: UInt32
    /// v1.9+; serialised as `null` when unset.
    public var limits: [String: String]?

    public init(
        id: String, imageRef: String, name: String? = nil, annotations: [String: String]? = [:],
        revision: Int32 = 0, maxInstances: UInt32, limits: [String: String]? = nil
    ) {
        self.id = id
        self.imageRef = imageRef
        self.name = name
        self.annotations = annotations
        self.revision = revision
        self.maxInstances = maxInstances
        self.limits = limits
    }

    enum CodingKeys: String, CodingKey {
        case id
        case imageRef = "image_ref"
        case name
        case annotations
        case revision
        case maxInstances = "max_instances"
        case limits
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        imageRef = try c.decode(String.self, forKey: .imageRef, default: "")
        name = try c.decodeIfPresent(String.self, forKey: .name)
        annotations = try c.decodeIfPresent([String: String].self, forKey: .annotations)
        revision = try c.decode(Int32.self, forKey: .revision, default: 0)
        maxInstances = try c.decode(UInt32.self, forKey: .maxInstances, default: 0)
        limits = try c.decodeIfPresent([String: String].self, forKey: .limits)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(imageRef, forKey: .imageRef)
        try c.encodeIfPresent(name, forKey: .name)
        try c.encodeIfPresent(annotations, forKey: .annotations)
        try c.encode(revision, forKey: .revision)
        try c.encode(maxInstances, forKey: .maxInstances)
        try c.encode(limits, forKey: .limits)
    }
}
