import Foundation

/// Body of `link.del`: removes the (source, namespace, package, name) link. No target, no interfaces.
public struct DeleteInterfaceLinkDefinitionRequest: Sendable, Hashable, Codable {
    public var sourceID: String
    public var name: String
    public var witNamespace: String
    public var witPackage: String

    public init(sourceID: String, name: String = Link.defaultName, witNamespace: String, witPackage: String) {
        self.sourceID = sourceID
        self.name = name
        self.witNamespace = witNamespace
        self.witPackage = witPackage
    }

    /// The delete request that removes `link`.
    public init(deleting link: Link) {
        self.init(sourceID: link.sourceID, name: link.name, witNamespace: link.witNamespace, witPackage: link.witPackage)
    }

    enum CodingKeys: String, CodingKey {
        case sourceID = "source_id"
        case name
        case witNamespace = "wit_namespace"
        case witPackage = "wit_package"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sourceID = try c.decode(String.self, forKey: .sourceID)
        name = try c.decode(String.self, forKey: .name, default: Link.defaultName)
        witNamespace = try c.decode(String.self, forKey: .witNamespace)
        witPackage = try c.decode(String.self, forKey: .witPackage)
    }
}
