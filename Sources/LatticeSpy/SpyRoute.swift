import LatticeProtocol
import Synchronization

/// A parsed invocation subject, shared by every message of the same subject (so that a ring of
/// 100,000 messages holds a handful of these, not 100,000 copies of the strings). Replies point
/// at their call's route.
public final class SpyRoute: Sendable, Hashable, CustomStringConvertible {
    private static let nextID = Atomic<UInt64>(1)

    /// Unique per route object, for caches.
    public let id: UInt64
    public let subject: String
    public let lattice: String
    /// The addressed component or provider (the link target).
    public let target: String
    /// WIT instance, re-joined across the dots of its version, e.g. `wasi:http/incoming-handler@0.2.0`.
    public let instance: String
    public let function: String
    /// `instance.function`.
    public let operation: String

    public init(_ parsed: WRPCSubject, subject: String) {
        id = Self.nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        self.subject = subject
        lattice = parsed.lattice
        target = parsed.target
        instance = parsed.instance
        function = parsed.function
        operation = parsed.operation
    }

    /// Nil when `subject` is not a wRPC invocation subject.
    public convenience init?(subject: String) {
        guard let parsed = WRPCSubject(parsing: subject) else { return nil }
        self.init(parsed, subject: subject)
    }

    public static func == (a: SpyRoute, b: SpyRoute) -> Bool { a === b || a.subject == b.subject }
    public func hash(into hasher: inout Hasher) { hasher.combine(subject) }
    public var description: String { subject }
}
