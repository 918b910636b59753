import Foundation

/// `linkdef_set_failed` data (v1.2+): the link plus `error`, flat in one object.
public struct LinkDefSetFailedEvent: Sendable, Hashable, Codable {
    public var link: Link
    public var error: String

    public init(link: Link, error: String) {
        self.link = link
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case error
    }

    public init(from decoder: any Decoder) throws {
        link = try Link(from: decoder)
        error = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .error, default: "")
    }

    public func encode(to encoder: any Encoder) throws {
        try link.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(error, forKey: .error)
    }
}

/// `linkdef_deleted` data. `target` and `interfaces` are present (v1.3+) only when a link was
/// actually removed; the event is emitted even when nothing matched.
public struct LinkDefDeletedEvent: Sendable, Hashable, Codable {
    public var sourceID: String
    public var name: String
    public var witNamespace: String
    public var witPackage: String
    public var target: String?
    public var interfaces: [String]?

    public init(
        sourceID: String, name: String = Link.defaultName, witNamespace: String, witPackage: String,
        target: String? = nil, interfaces: [String]? = nil
    ) {
        self.sourceID = sourceID
        self.name = name
        self.witNamespace = witNamespace
        self.witPackage = witPackage
        self.target = target
        self.interfaces = interfaces
    }

    /// The event for removing `link`.
    public init(removed link: Link) {
        self.init(
            sourceID: link.sourceID, name: link.name, witNamespace: link.witNamespace,
            witPackage: link.witPackage, target: link.target, interfaces: link.interfaces)
    }

    enum CodingKeys: String, CodingKey {
        case sourceID = "source_id"
        case name
        case witNamespace = "wit_namespace"
        case witPackage = "wit_package"
        case target
        case interfaces
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sourceID = try c.decode(String.self, forKey: .sourceID)
        name = try c.decode(String.self, forKey: .name, default: Link.defaultName)
        witNamespace = try c.decode(String.self, forKey: .witNamespace)
        witPackage = try c.decode(String.self, forKey: .witPackage)
        target = try c.decodeIfPresent(String.self, forKey: .target)
        interfaces = try c.decodeIfPresent([String].self, forKey: .interfaces)
    }
}

/// `config_set` / `config_deleted` data: only the name (values are never in events).
public struct ConfigEvent: Sendable, Hashable, Codable {
    public var configName: String

    public init(configName: String) {
        self.configName = configName
    }

    enum CodingKeys: String, CodingKey {
        case configName = "config_name"
    }
}
