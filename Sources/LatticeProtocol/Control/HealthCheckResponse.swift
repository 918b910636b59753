import Foundation

/// A provider's answer on `wasmbus.rpc.{lattice}.{providerID}.health`.
public struct HealthCheckResponse: Sendable, Hashable, Codable {
    public var healthy: Bool
    /// Left out on encode when `nil`.
    public var message: String?

    public init(healthy: Bool, message: String? = nil) {
        self.healthy = healthy
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case healthy, message
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        healthy = try c.decode(Bool.self, forKey: .healthy, default: false)
        message = try c.decodeIfPresent(String.self, forKey: .message)
    }
}
