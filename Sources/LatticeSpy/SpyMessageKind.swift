/// Which wRPC message a `SpyMessage` is.
public enum SpyMessageKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// The caller's first message on `{lattice}.{target}.wrpc.0.0.1.{instance}.{function}`:
    /// headers and the first chunk of the parameters.
    case invocation
    /// The server's empty answer on the invocation's reply subject (its reply subject is the
    /// server's inbox); may carry a status header (503 not connected, 408 timed out).
    case handshake
    /// Results on `<reply>.results` (or an indexed sub-subject of it).
    case results
    /// Remaining parameter bytes on `<server inbox>.params`.
    case params
}
