import Foundation

/// A host's inventory: the `host.get` reply payload and the `host_heartbeat` event data.
/// Decoding also accepts the legacy key `actors` for `components`.
public struct HostInventory: Sendable, Hashable, Codable {
    public var components: [ComponentDescription]
    public var providers: [ProviderDescription]
    public var hostID: String
    public var friendlyName: String
    public var labels: [String: String]
    public var version: String
    public var uptimeHuman: String
    public var uptimeSeconds: UInt64

    public init(
        components: [ComponentDescription], providers: [ProviderDescription], hostID: String,
        friendlyName: String, labels: [String: String], version: String, uptimeHuman: String,
        uptimeSeconds: UInt64
    ) {
        self.components = components
        self.providers = providers
        self.hostID = hostID
        self.friendlyName = friendlyName
        self.labels = labels
        self.version = version
        self.uptimeHuman = uptimeHuman
        self.uptimeSeconds = uptimeSeconds
    }

    enum CodingKeys: String, CodingKey {
        case components
        case actors
        case providers
        case hostID = "host_id"
        case friendlyName = "friendly_name"
        case labels
        case version
        case uptimeHuman = "uptime_human"
        case uptimeSeconds = "uptime_seconds"
    }

    /// `components` (or `actors`) and `providers` are required: an inventory is applied as an
    /// authoritative replacement, so a missing list must not read as "nothing running".
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if c.contains(.components) || !c.contains(.actors) {
            components = try c.decode([ComponentDescription].self, forKey: .components)
        } else {
            components = try c.decode([ComponentDescription].self, forKey: .actors)
        }
        providers = try c.decode([ProviderDescription].self, forKey: .providers)
        hostID = try c.decode(String.self, forKey: .hostID, default: "")
        friendlyName = try c.decode(String.self, forKey: .friendlyName, default: "")
        labels = try c.decode([String: String].self, forKey: .labels, default: [:])
        version = try c.decode(String.self, forKey: .version, default: "")
        uptimeHuman = try c.decode(String.self, forKey: .uptimeHuman, default: "")
        uptimeSeconds = try c.decode(UInt64.self, forKey: .uptimeSeconds, default: 0)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(components, forKey: .components)
        try c.encode(providers, forKey: .providers)
        try c.encode(hostID, forKey: .hostID)
        try c.encode(friendlyName, forKey: .friendlyName)
        try c.encode(labels, forKey: .labels)
        try c.encode(version, forKey: .version)
        try c.encode(uptimeHuman, forKey: .uptimeHuman)
        try c.encode(uptimeSeconds, forKey: .uptimeSeconds)
    }
}
