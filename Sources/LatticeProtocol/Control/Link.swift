import Foundation

/// A link (`link.put` body, element of the `link.get` reply, `linkdef_set` event data).
/// Named `InterfaceLinkDefinition` in wasmCloud 1.0; the keys are the same.
public struct Link: Sendable, Hashable, Codable {
    public static let defaultName = "default"

    public var sourceID: String
    /// Component or provider ID.
    public var target: String
    /// The link name.
    public var name: String
    public var witNamespace: String
    public var witPackage: String
    public var interfaces: [String]
    /// Config names (names starting with `SECRET` are secret references).
    public var sourceConfig: [String]
    public var targetConfig: [String]

    public init(
        sourceID: String, target: String, name: String = Link.defaultName, witNamespace: String,
        witPackage: String, interfaces: [String], sourceConfig: [String] = [], targetConfig: [String] = []
    ) {
        self.sourceID = sourceID
        self.target = target
        self.name = name
        self.witNamespace = witNamespace
        self.witPackage = witPackage
        self.interfaces = interfaces
        self.sourceConfig = sourceConfig
        self.targetConfig = targetConfig
    }

    /// `namespace:package/iface1,iface2`, as wash and washboard show it.
    public var witDescription: String {
        "\(witNamespace):\(witPackage)/\(interfaces.joined(separator: ","))"
    }

    enum CodingKeys: String, CodingKey {
        case sourceID = "source_id"
        case target
        case name
        case witNamespace = "wit_namespace"
        case witPackage = "wit_package"
        case interfaces
        case sourceConfig = "source_config"
        case targetConfig = "target_config"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sourceID = try c.decode(String.self, forKey: .sourceID)
        target = try c.decode(String.self, forKey: .target)
        name = try c.decode(String.self, forKey: .name, default: Link.defaultName)
        witNamespace = try c.decode(String.self, forKey: .witNamespace)
        witPackage = try c.decode(String.self, forKey: .witPackage)
        interfaces = try c.decode([String].self, forKey: .interfaces)
        sourceConfig = try c.decode([String].self, forKey: .sourceConfig, default: [])
        targetConfig = try c.decode([String].self, forKey: .targetConfig, default: [])
    }
}

/// The wasmCloud 1.0 name of `Link`.
public typealias InterfaceLinkDefinition = Link
