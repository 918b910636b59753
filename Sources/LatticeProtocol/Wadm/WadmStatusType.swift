import Foundation

/// wadm's application/scaler status, lower-case on the wire. Decoding accepts wadm's aliases
/// (`compensating` → `reconciling`, `ready` → `deployed`) in any letter case; anything else is
/// kept verbatim as `.unknown`.
public enum WadmStatusType: Sendable, Hashable, Codable, CustomStringConvertible {
    case undeployed
    case reconciling
    case deployed
    case failed
    case waiting
    case unhealthy
    case unknown(String)

    public init(wireValue: String) {
        switch wireValue.lowercased() {
        case "undeployed": self = .undeployed
        case "reconciling", "compensating": self = .reconciling
        case "deployed", "ready": self = .deployed
        case "failed": self = .failed
        case "waiting": self = .waiting
        case "unhealthy": self = .unhealthy
        default: self = .unknown(wireValue)
        }
    }

    public var wireValue: String {
        switch self {
        case .undeployed: return "undeployed"
        case .reconciling: return "reconciling"
        case .deployed: return "deployed"
        case .failed: return "failed"
        case .waiting: return "waiting"
        case .unhealthy: return "unhealthy"
        case .unknown(let raw): return raw
        }
    }

    public var description: String { wireValue }

    public init(from decoder: any Decoder) throws {
        self.init(wireValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wireValue)
    }
}
