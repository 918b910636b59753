/// The kinds of data the panes show, for "data age" banners.
public enum LatticeDataKind: Sendable, Hashable, CaseIterable {
    /// Hosts, their components and providers (events, heartbeats, ping and inventory replies).
    case hosts
    case links
    case configs
    case applications
    /// Any lattice event at all.
    case events
}
