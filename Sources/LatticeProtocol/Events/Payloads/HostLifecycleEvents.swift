import Foundation

/// `host_started` data. The host ID is the envelope `source`.
public struct HostStartedEvent: Sendable, Hashable, Codable {
    public var friendlyName: String
    public var labels: [String: String]
    /// Always 0 from real hosts.
    public var uptimeSeconds: UInt64
    /// Absent in 0.x-era events.
    public var version: String?

    public init(friendlyName: String, labels: [String: String], uptimeSeconds: UInt64 = 0, version: String?) {
        self.friendlyName = friendlyName
        self.labels = labels
        self.uptimeSeconds = uptimeSeconds
        self.version = version
    }

    enum CodingKeys: String, CodingKey {
        case friendlyName = "friendly_name"
        case labels
        case uptimeSeconds = "uptime_seconds"
        case version
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        friendlyName = try c.decode(String.self, forKey: .friendlyName, default: "")
        labels = try c.decode([String: String].self, forKey: .labels, default: [:])
        uptimeSeconds = try c.decode(UInt64.self, forKey: .uptimeSeconds, default: 0)
        version = try c.decodeIfPresent(String.self, forKey: .version)
    }
}

/// `host_stopped` data: only the labels. The host ID is the envelope `source`.
public struct HostStoppedEvent: Sendable, Hashable, Codable {
    public var labels: [String: String]

    public init(labels: [String: String]) {
        self.labels = labels
    }

    enum CodingKeys: String, CodingKey {
        case labels
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        labels = try c.decode([String: String].self, forKey: .labels, default: [:])
    }
}

/// `labels_changed` data: the complete new label map (required; it replaces the old one).
public struct LabelsChangedEvent: Sendable, Hashable, Codable {
    public var hostID: String
    public var labels: [String: String]

    public init(hostID: String, labels: [String: String]) {
        self.hostID = hostID
        self.labels = labels
    }

    enum CodingKeys: String, CodingKey {
        case hostID = "host_id"
        case labels
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hostID = try c.decode(String.self, forKey: .hostID, default: "")
        labels = try c.decode([String: String].self, forKey: .labels)
    }
}
