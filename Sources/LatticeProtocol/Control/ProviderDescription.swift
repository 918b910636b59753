import Foundation

/// A running provider, as listed in `HostInventory.providers`. No health in here.
public struct ProviderDescription: Sendable, Hashable, Codable {
    public var id: String
    public var imageRef: String?
    public var name: String?
    public var revision: Int32
    public var annotations: [String: String]?

    public init(
        id: String, imageRef: String? = nil, name: String? = nil, revision: Int32 = 0,
        annotations: [String: String]? = [:]
    ) {
        self.id = id
        self.imageRef = imageRef
        self.name = name
        self.revision = revision
        self.annotations = annotations
    }

    enum CodingKeys: String, CodingKey {
        case id
        case imageRef = "image_ref"
        case name
        case revision
        case annotations
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        imageRef = try c.decodeIfPresent(String.self, forKey: .imageRef)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        revision = try c.decode(Int32.self, forKey: .revision, default: 0)
        annotations = try c.decodeIfPresent([String: String].self, forKey: .annotations)
    }
}
