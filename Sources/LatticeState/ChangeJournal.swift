import Foundation

/// Which records an input may have changed, by revision, so a view of the state can be updated
/// from the view of an earlier revision instead of rebuilt: every `LatticeState.apply` is one
/// revision, and the reducer marks each host (with its components, providers and provider
/// triage), link and named config it touched. A mark means "may have changed" (an input that
/// changed nothing visible may still mark); a record that changed is always marked.
///
/// Bounded: the oldest marks are dropped past `capacity`, and then `changes(since:)` of a
/// revision before them is nil (rebuild from scratch). Not part of the state's value: two
/// states equal in everything else are equal whatever their journals.
public struct ChangeJournal: Sendable, Equatable {
    /// What a mark names.
    public enum Change: Hashable, Sendable {
        case host(String)
        case link(LinkKey)
        case config(String)
        /// Something every link's findings read changed (config names became listable or not).
        case allLinks
    }

    /// The revision of the latest input applied (0: none).
    public private(set) var revision: UInt64 = 0
    private var marks: [(revision: UInt64, change: Change)] = []
    /// Marks of revisions up to this one may have been dropped.
    private var floor: UInt64 = 0
    let capacity: Int

    init(capacity: Int = 1 << 17) {
        self.capacity = max(1, capacity)
    }

    mutating func advance() { revision &+= 1 }

    mutating func mark(_ change: Change) {
        if marks.count >= 2 * capacity {
            floor = marks[marks.count - capacity - 1].revision
            marks.removeFirst(marks.count - capacity)
        }
        marks.append((revision, change))
    }

    /// Everything marked after `revision`; nil when that is no longer known (marks dropped, or
    /// `revision` is not one of this journal's).
    public func changes(since revision: UInt64) -> ChangeSet? {
        guard revision >= floor, revision <= self.revision else { return nil }
        var set = ChangeSet()
        var i = marks.endIndex
        while i > marks.startIndex, marks[i - 1].revision > revision {
            i -= 1
            switch marks[i].change {
            case .host(let id): set.hosts.insert(id)
            case .link(let key): set.links.insert(key)
            case .config(let name): set.configs.insert(name)
            case .allLinks: set.allLinks = true
            }
        }
        return set
    }

    /// Not part of the state's value (see the type's comment).
    public static func == (a: ChangeJournal, b: ChangeJournal) -> Bool { true }
}

/// The records marked between two revisions (`ChangeJournal.changes(since:)`).
public struct ChangeSet: Sendable, Equatable {
    public var hosts: Set<String> = []
    public var links: Set<LinkKey> = []
    public var configs: Set<String> = []
    public var allLinks = false

    public init() {}

    public var isEmpty: Bool { hosts.isEmpty && links.isEmpty && configs.isEmpty && !allLinks }
}
