import CNATS

/// An error from the NATS layer, with the categories callers act on kept distinct.
public enum NATSError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No reply arrived in time.
    case timeout
    /// The server told us nobody listens on the request subject.
    case noResponders(subject: String)
    /// No server could be reached at any of the given URLs.
    case noServer(urls: [String], detail: String)
    /// The server refused our credentials.
    case authorizationFailed(detail: String)
    /// TLS could not be set up (bad CA, certificate, key, or handshake).
    case tls(detail: String)
    /// The connection is closed.
    case closed
    /// A setting was invalid before anything was sent (bad seed, missing file, bad subject).
    case invalidArgument(String)
    /// Any other cnats status.
    case status(code: Int, detail: String)

    public var description: String {
        switch self {
        case .timeout: return "timed out waiting for a reply"
        case .noResponders(let subject): return "no responders on \(subject)"
        case .noServer(let urls, let detail):
            return "no NATS server reachable at \(urls.joined(separator: ", "))" + (detail.isEmpty ? "" : " (\(detail))")
        case .authorizationFailed(let detail): return "NATS authorization failed" + (detail.isEmpty ? "" : ": \(detail)")
        case .tls(let detail): return "TLS error: \(detail)"
        case .closed: return "the NATS connection is closed"
        case .invalidArgument(let text): return text
        case .status(_, let detail): return "NATS error: \(detail)"
        }
    }

    /// Maps a cnats status (with the library's last error text) to an error.
    static func from(_ status: natsStatus, servers: [String] = [], subject: String = "") -> NATSError {
        let text = lastErrorText(status)
        switch status {
        case NATS_TIMEOUT: return .timeout
        case NATS_NO_RESPONDERS: return .noResponders(subject: subject)
        case NATS_NO_SERVER: return .noServer(urls: servers, detail: text)
        case NATS_CONNECTION_AUTH_FAILED, NATS_NOT_PERMITTED: return .authorizationFailed(detail: text)
        case NATS_SSL_ERROR, NATS_SECURE_CONNECTION_WANTED, NATS_SECURE_CONNECTION_REQUIRED: return .tls(detail: text)
        case NATS_CONNECTION_CLOSED: return .closed
        case NATS_INVALID_ARG, NATS_INVALID_SUBJECT, NATS_ADDRESS_MISSING: return .invalidArgument(text)
        default: return .status(code: Int(status.rawValue), detail: text)
        }
    }

    static func lastErrorText(_ status: natsStatus) -> String {
        var last = NATS_OK
        if let p = nats_GetLastError(&last), last != NATS_OK {
            let s = String(cString: p)
            if !s.isEmpty { return s }
        }
        return String(cString: natsStatus_GetText(status))
    }
}

@inline(__always)
func check(_ status: natsStatus, servers: [String] = [], subject: String = "") throws(NATSError) {
    if status != NATS_OK { throw NATSError.from(status, servers: servers, subject: subject) }
}
