/// What a spy watches.
public enum SpyScope: Sendable, Hashable {
    /// Every invocation in the lattice: `{lattice}.*.wrpc.>`.
    case lattice
    /// One component: calls addressed to it, and calls it makes to what it links to (the link
    /// targets' subjects, credited by the `source-id` header).
    case component(String)

    public var componentID: String? {
        if case .component(let id) = self { return id }
        return nil
    }
}
