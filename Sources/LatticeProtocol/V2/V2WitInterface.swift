import Foundation

/// A WIT interface entry in a v2 heartbeat (`imports`/`exports`) or workload host interface.
/// Proto3 JSON: every key optional, empty values left out on encode.
public struct V2WitInterface: Sendable, Hashable, Codable {
    public var namespace: String
    public var package: String
    /// Absent on unversioned interfaces (e.g. `wasi:logging`).
    public var version: String?
    public var interfaces: [String]
    public var config: [String: String]
    /// Instance name when several backends of one package coexist.
    public var name: String?

    public init(
        namespace: String, package: String, version: String? = nil, interfaces: [String] = [],
        config: [String: String] = [:], name: String? = nil
    ) {
        self.namespace = namespace
        self.package = package
        self.version = version
        self.interfaces = interfaces
        self.config = config
        self.name = name
    }

    /// `namespace:package@version` (no `@…` when unversioned).
    public var packageReference: String {
        "\(namespace):\(package)" + (version.map { "@\($0)" } ?? "")
    }

    enum CodingKeys: String, CodingKey {
        case namespace, package, version, interfaces, config, name
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        namespace = try c.decode(String.self, forKey: .namespace, default: "")
        package = try c.decode(String.self, forKey: .package, default: "")
        version = try c.decodeIfPresent(String.self, forKey: .version).flatMap { $0.isEmpty ? nil : $0 }
        interfaces = try c.decode([String].self, forKey: .interfaces, default: [])
        config = try c.decode([String: String].self, forKey: .config, default: [:])
        name = try c.decodeIfPresent(String.self, forKey: .name).flatMap { $0.isEmpty ? nil : $0 }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if !namespace.isEmpty { try c.encode(namespace, forKey: .namespace) }
        if !package.isEmpty { try c.encode(package, forKey: .package) }
        try c.encodeIfPresent(version, forKey: .version)
        if !interfaces.isEmpty { try c.encode(interfaces, forKey: .interfaces) }
        if !config.isEmpty { try c.encode(config, forKey: .config) }
        try c.encodeIfPresent(name, forKey: .name)
    }
}
