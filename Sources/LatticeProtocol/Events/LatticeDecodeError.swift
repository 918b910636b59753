import Foundation

/// Why a message could not be turned into a `LatticeEvent`. Every case keeps the raw bytes.
public enum LatticeDecodeError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// Not JSON at all (truncated, invalid UTF-8, too deeply nested, …).
    case invalidJSON(reason: String, raw: Data)
    /// JSON, but not a CloudEvent (not an object, no `type`, wrong types in envelope keys).
    case invalidEnvelope(reason: String, raw: Data)
    /// A known event type whose `data` does not fit the 1.x shape (typically 0.x-era events).
    case unsupported(type: String, reason: String, raw: Data)

    public var raw: Data {
        switch self {
        case .invalidJSON(_, let raw), .invalidEnvelope(_, let raw), .unsupported(_, _, let raw): return raw
        }
    }

    public var description: String {
        switch self {
        case .invalidJSON(let reason, let raw):
            return "invalid JSON (\(raw.count) bytes): \(reason)"
        case .invalidEnvelope(let reason, _):
            return "not a CloudEvent: \(reason)"
        case .unsupported(let type, let reason, _):
            return "unsupported \(type) event: \(reason)"
        }
    }
}
