import Foundation

/// `{"type": StatusType, "message": …}`; `message` is left out when empty.
public struct WadmStatusInfo: Sendable, Hashable, Codable {
    public var type: WadmStatusType
    public var message: String

    public init(type: WadmStatusType, message: String = "") {
        self.type = type
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case type, message
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decode(WadmStatusType.self, forKey: .type, default: .undeployed)
        message = try c.decode(String.self, forKey: .message, default: "")
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
        if !message.isEmpty { try c.encode(message, forKey: .message) }
    }
}

/// Status of one scaler of an application.
public struct WadmScalerStatus: Sendable, Hashable, Codable {
    public var id: String
    /// e.g. `SpreadScaler`, `LinkScaler`, `DaemonScaler`.
    public var kind: String
    public var name: String
    public var status: WadmStatusInfo

    public init(id: String, kind: String, name: String, status: WadmStatusInfo) {
        self.id = id
        self.kind = kind
        self.name = name
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, name, status
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id, default: "")
        kind = try c.decode(String.self, forKey: .kind, default: "")
        name = try c.decode(String.self, forKey: .name, default: "")
        status = try c.decode(WadmStatusInfo.self, forKey: .status, default: WadmStatusInfo(type: .undeployed))
    }
}

/// An application's status (`model.status` reply, `wadm.status.{lattice}.{app}` messages,
/// `ModelSummary.detailedStatus`). `scalers` is left out when empty; the deprecated `version`
/// (`""`) and `components` (`[]`) are always written, as wadm does.
public struct WadmStatus: Sendable, Hashable, Codable {
    public var status: WadmStatusInfo
    public var scalers: [WadmScalerStatus]
    /// Deprecated leftover.
    public var version: String
    /// Deprecated leftover, kept as raw JSON.
    public var components: [JSONValue]

    public init(status: WadmStatusInfo, scalers: [WadmScalerStatus] = [], version: String = "", components: [JSONValue] = []) {
        self.status = status
        self.scalers = scalers
        self.version = version
        self.components = components
    }

    enum CodingKeys: String, CodingKey {
        case status, scalers, version, components
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        status = try c.decode(WadmStatusInfo.self, forKey: .status)
        scalers = try c.decode([WadmScalerStatus].self, forKey: .scalers, default: [])
        version = try c.decode(String.self, forKey: .version, default: "")
        components = try c.decode([JSONValue].self, forKey: .components, default: [])
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(status, forKey: .status)
        if !scalers.isEmpty { try c.encode(scalers, forKey: .scalers) }
        try c.encode(version, forKey: .version)
        try c.encode(components, forKey: .components)
    }
}
