import NATSKit

/// Why a spy session could not start or refresh.
public enum SpyError: Error, Sendable, CustomStringConvertible {
    /// A component ID that cannot be a subject token (empty, or with `.`, `*`, `>`, spaces).
    case invalidComponentID(String)
    case subscribe(subject: String, NATSError)
    /// `link.get` failed; the session keeps spying on what it already watches.
    case links(String)
    case notStarted

    public var description: String {
        switch self {
        case .invalidComponentID(let id): return "'\(id)' is not a valid component ID (no '.', '*', '>' or spaces)"
        case .subscribe(let subject, let error): return "cannot subscribe to \(subject): \(error)"
        case .links(let detail): return "cannot read the links (link.get): \(detail)"
        case .notStarted: return "the spy session is not started"
        }
    }
}
