import Foundation

/// `health_check_passed` / `_failed` / `_status` data: no healthy flag (the type says it;
/// `_status` means "same as last probe").
public struct HealthCheckEvent: Sendable, Hashable, Codable {
    public var hostID: String
    public var providerID: String

    public init(hostID: String, providerID: String) {
        self.hostID = hostID
        self.providerID = providerID
    }

    enum CodingKeys: String, CodingKey {
        case hostID = "host_id"
        case providerID = "provider_id"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hostID = try c.decode(String.self, forKey: .hostID, default: "")
        providerID = try c.decode(String.self, forKey: .providerID)
    }
}
