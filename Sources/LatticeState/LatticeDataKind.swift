import Foundation

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

/// Arrival of the latest data of each kind.
public struct LastUpdateTimes: Sendable, Equatable {
    private var times: [Date?] = Array(repeating: nil, count: LatticeDataKind.allCases.count)

    public subscript(kind: LatticeDataKind) -> Date? {
        get { times[kind.index] }
        set { times[kind.index] = newValue }
    }
}

extension LatticeDataKind {
    fileprivate var index: Int {
        switch self {
        case .hosts: return 0
        case .links: return 1
        case .configs: return 2
        case .applications: return 3
        case .events: return 4
        }
    }
}
