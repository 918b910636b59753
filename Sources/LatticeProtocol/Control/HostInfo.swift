import Foundation

/// One `host.ping` reply payload (wasmCloud's `Host`; renamed because `Foundation.Host` exists on Linux).
public struct HostInfo: Sendable, Hashable, Codable {
    /// Public nkey, 56 characters, starting with `N`.
    public var id: String
    public var friendlyName: String
    /// Always includes `hostcore.arch`, `hostcore.os`, `hostcore.osfamily`.
    public var labels: [String: String]
    public var lattice: String
    public var uptimeSeconds: UInt64
    /// humantime format, e.g. `1h 2m 3s`.
    public var uptimeHuman: String?
    /// Host binary version, e.g. `1.9.2`.
    public var version: String?
    /// `nats://host:port` of the host's ctl connection.
    public var ctlHost: String?
    /// `nats://host:port` of the host's RPC connection (may differ from `ctlHost`).
    public var rpcHost: String?
    public var jsDomain: String?

    public init(
        id: String, friendlyName: String, labels: [String: String] = [:], lattice: String,
        uptimeSeconds: UInt64, uptimeHuman: String? = nil, version: String? = nil,
        ctlHost: String? = nil, rpcHost: String? = nil, jsDomain: String? = nil
    ) {
        self.id = id
        self.friendlyName = friendlyName
        self.labels = labels
        self.lattice = lattice
        self.uptimeSeconds = uptimeSeconds
        self.uptimeHuman = uptimeHuman
        self.version = version
        self.ctlHost = ctlHost
        self.rpcHost = rpcHost
        self.jsDomain = jsDomain
    }

    enum CodingKeys: String, CodingKey {
        case id
        case friendlyName = "friendly_name"
        case labels
        case lattice
        case uptimeSeconds = "uptime_seconds"
        case uptimeHuman = "uptime_human"
        case version
        case ctlHost = "ctl_host"
        case rpcHost = "rpc_host"
        case jsDomain = "js_domain"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        friendlyName = try c.decode(String.self, forKey: .friendlyName, default: "")
        labels = try c.decode([String: String].self, forKey: .labels, default: [:])
        lattice = try c.decode(String.self, forKey: .lattice, default: "")
        uptimeSeconds = try c.decode(UInt64.self, forKey: .uptimeSeconds, default: 0)
        uptimeHuman = try c.decodeIfPresent(String.self, forKey: .uptimeHuman)
        version = try c.decodeIfPresent(String.self, forKey: .version)
        ctlHost = try c.decodeIfPresent(String.self, forKey: .ctlHost)
        rpcHost = try c.decodeIfPresent(String.self, forKey: .rpcHost)
        jsDomain = try c.decodeIfPresent(String.self, forKey: .jsDomain)
    }
}
