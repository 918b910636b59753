/// How sure the spy is that a message belongs to what it watches.
public enum SpyAttribution: String, Sendable, Hashable, Codable, CaseIterable {
    /// Lattice-wide spying, a call addressed to the spied component, or a call on a linked
    /// target's subject whose `source-id` is the spied component.
    case direct
    /// A call on a linked target's subject without a `source-id` header: credited to the spied
    /// component as `wash spy` would, but unverified.
    case assumed
    /// A call on a linked target's subject made by another component (kept only with
    /// `ForeignCallPolicy.mark`).
    case foreign
}
