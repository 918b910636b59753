import Foundation

/// A control request a simulated host received, kept so tests can assert on what was sent.
public struct ReceivedRequest: Sendable, Equatable {
    public var subject: String
    public var operation: SimulatedOperation?
    /// The host ID or config name in the subject.
    public var target: String?
    public var body: Data
    public var at: Date

    /// The body decoded as `T` (nil when it does not decode), e.g. as the client's request type
    /// in a test.
    public func decoded<T: Decodable>(_ type: T.Type) -> T? {
        try? JSONDecoder().decode(type, from: body)
    }
}

/// How the simulator treats requests of one operation instead of answering as a host does.
public enum SimulatedRequestRule: Sendable, Equatable {
    /// Answer `success: false` with this message and change nothing; a refused `link.put` is
    /// followed by `linkdef_set_failed` with the message, as a 1.2+ host does.
    case refuse(String)
    /// Do not answer at all (the client times out).
    case ignore
    /// Do not answer the next `n` requests, then answer as a host does again: a timeout, and
    /// what a retry gets, provoked deterministically.
    case ignoreNext(Int)
}
