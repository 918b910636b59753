import Foundation

/// One application in a wadm list reply.
public struct ModelSummary: Sendable, Hashable, Codable {
    public var name: String
    public var version: String
    public var description: String?
    public var deployedVersion: String?
    /// wadm ≥ 0.14.
    public var detailedStatus: WadmStatus?
    /// Deprecated; prefer `detailedStatus`.
    public var status: WadmStatusType
    /// Deprecated.
    public var statusMessage: String?

    public init(
        name: String, version: String, description: String? = nil, deployedVersion: String? = nil,
        detailedStatus: WadmStatus? = nil, status: WadmStatusType = .undeployed, statusMessage: String? = nil
    ) {
        self.name = name
        self.version = version
        self.description = description
        self.deployedVersion = deployedVersion
        self.detailedStatus = detailedStatus
        self.status = status
        self.statusMessage = statusMessage
    }

    /// `detailedStatus.status.type` when present, else the deprecated `status`.
    public var effectiveStatus: WadmStatusType { detailedStatus?.status.type ?? status }

    enum CodingKeys: String, CodingKey {
        case name, version, description
        case deployedVersion = "deployed_version"
        case detailedStatus = "detailed_status"
        case status
        case statusMessage = "status_message"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        version = try c.decode(String.self, forKey: .version, default: "")
        description = try c.decodeIfPresent(String.self, forKey: .description)
        deployedVersion = try c.decodeIfPresent(String.self, forKey: .deployedVersion)
        detailedStatus = try c.decodeIfPresent(WadmStatus.self, forKey: .detailedStatus)
        status = try c.decode(WadmStatusType.self, forKey: .status, default: .undeployed)
        statusMessage = try c.decodeIfPresent(String.self, forKey: .statusMessage)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(version, forKey: .version)
        try c.encode(description, forKey: .description)
        try c.encode(deployedVersion, forKey: .deployedVersion)
        try c.encodeIfPresent(detailedStatus, forKey: .detailedStatus)
        try c.encode(status, forKey: .status)
        try c.encode(statusMessage, forKey: .statusMessage)
    }
}
